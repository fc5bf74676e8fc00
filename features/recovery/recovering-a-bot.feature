@REC
Feature: Recovering a bot whose certificates are gone

  A bound keypair bot normally renews: it presents its still-valid
  certificate, proves it holds the bound key, and keeps its bot instance.
  When the certificate is gone — it expired while the bot was offline
  longer than its TTL (one hour by default), or the host lost it — the bot
  joins again with only its key and its join state. A key is bound to the
  token and the caller presents no identity: the server handles that join
  as a recovery.

  A recovery is the same ceremony as a renewal — exactly one challenge, for
  the key in status.bound_keypair.bound_public_key, and a rotation request
  only when one is due — but it costs something: recovery_count goes up by
  one, last_recovered_at records the server's time, and the bot gets a
  brand-new bot instance. When the server verified the bot's join state
  (recovery_count above 0, mode not `insecure`) the new instance remembers
  the instance named in that join state as its previous one; otherwise it
  names none. The certificate and the returned join state both name the new
  instance, and a `join_token.bound_keypair.recovery` audit event records
  the key, the new count and the token's mode.

  Someone without the bound key gets nothing: the challenge fails with
  `validating challenge response` (not the onboarding text `failed to
  complete challenge`), nothing changes, and a failed recovery event
  records the attempt with the unchanged count.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 3                       |
    And "alice" has completed a join with token "robot-token"

  Rule: a bot without certificates recovers with its bound key and becomes a new bot instance

    # "joins" is what tbot does: it presents its certificate while it is
    # valid on the server's clock and joins without one otherwise.
    @BKP-REC-001 @BKP-REC-002 @BKP-REC-004 @BKP-REC-013 @BKP-REC-015
    Scenario Outline: A bot that <mishap> recovers with its bound key
      Given "alice" <mishap>
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And "alice" received a certificate for bot "robot" issued by the cluster
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the certificate names the bot instance bound to token "robot-token" at generation 1
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | sub               | robot                                 |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
        | recovery_sequence | 2                                     |
      And the result names the public key of "alice" as the bound key
      And the token "robot-token" has:
        | bound_public_key  | <public key of "alice"> |
        | recovery_count    | 2                       |
        | last_recovered_at | <now>                   |
        | bound_host_id     | <unset>                 |
      And the recovered bot instance of token "robot-token" names, as its previous instance, the one in the join state "alice" presented
      And the recovered bot instance of token "robot-token" is at generation 1 with recovery count 2
      And 2 bot instances exist for bot "robot"
      And the join recorded one successful recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 2 and mode "standard"

      # The clock moves past the certificate's end, so last_recovered_at must
      # be the time of the recovery, not the onboarding's.
      @BKP-REC-003 @needs-clock-control
      Examples: certificates expired
        | mishap                                          |
        | stays offline until its certificate has expired |

      @BKP-REC-001
      Examples: certificates lost
        | mishap                                                   |
        | has lost its certificate but kept its key and join state |

    @BKP-REC-002 @BKP-REC-003 @needs-clock-control
    Scenario: Every recovery costs one, and last_recovered_at follows the clock
      Given 2 hours pass on the server's clock
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the token "robot-token" has:
        | recovery_count    | 2     |
        | last_recovered_at | <now> |
      When 3 days pass on the server's clock
      And "alice" joins with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count    | 3     |
        | last_recovered_at | <now> |
      And the recovered bot instance of token "robot-token" names, as its previous instance, the one in the join state "alice" presented
      And 3 bot instances exist for bot "robot"

  Rule: a new bot instance links to the previous one only when the join state was verified

    # recovery_count 0 means no join state is required (BKP-JST-004), so
    # there is no verified previous instance to link: a token restored from
    # a backup with a key bound but no recovery counted. Create honours the
    # incoming status; the bound instance need not exist.
    @BKP-REC-014 @BKP-REC-001 @BKP-REC-002 @BKP-JST-004
    Scenario: A recovery through a token with no recovery counted names no previous instance
      Given a bot client "bob" with an Ed25519 keypair
      And a bound keypair token "restored-token" for bot "restored" with:
        | recovery.mode                              | standard                             |
        | recovery.limit                             | 1                                    |
        | status.bound_keypair.bound_public_key      | <public key of "bob">                |
        | status.bound_keypair.bound_bot_instance_id | 6f1d3c1e-0000-4000-8000-00000000b0b0 |
        | status.bound_keypair.recovery_count        | 0                                    |
      When "bob" recovers with token "restored-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the token "restored-token" is bound to a new bot instance of bot "restored"
      And the certificate names the bot instance bound to token "restored-token" at generation 1
      And the token "restored-token" has:
        | recovery_count    | 1     |
        | last_recovered_at | <now> |
      And the recovered bot instance of token "restored-token" names no previous instance

    # In insecure mode the join state is ignored entirely (BKP-JST-005), even
    # a perfectly valid one: nothing was verified, so nothing is linked.
    @BKP-REC-014
    Scenario: A recovery in insecure mode names no previous instance, even with a valid join state
      Given the admin edits token "robot-token", setting recovery.mode to insecure
      And "alice" has lost its certificate but kept its key and join state
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the token "robot-token" has:
        | recovery_count | 2 |
      And the recovered bot instance of token "robot-token" names no previous instance

  Rule: without the bound key there is no recovery

    @BKP-REC-009 @BKP-REC-016
    Scenario: Someone else's key cannot recover the bot
      Given a bot client "mallory" with an Ed25519 keypair
      When "mallory" recovers with token "robot-token", signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the recovery error does not say "failed to complete challenge"
      And the server sent 1 challenge and 0 rotation requests
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And nothing changed on the server
      And 1 bot instance exists for bot "robot"
      And the join recorded one failed recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 1 and mode "standard"
      And the audit log has a failed "bot.join" event for token "robot-token"
