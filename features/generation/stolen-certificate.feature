@GEN @needs-generation-counter
Feature: A copied certificate is detected by its generation

  A bot's credentials can be copied: its private key, its certificate and
  its join state, all from one data directory. The copy renews as well as
  the original — once. The original and the copy cannot both keep renewing:
  whichever renews first moves the bot instance's generation on, and the
  other then presents a generation the server no longer expects.

  The server takes that as a sign of a stolen certificate (server §8):

    - the renewal fails with `cert generation mismatch for bot
      <bot>/<instance>: stored=<n>, presented=<m>`;
    - the token is locked (target {join_token: <token>}) with the message
      `Bot joins via the token "<token>" have been locked due to a
      certificate generation mismatch by <bot>/<instance>, possibly
      indicating a stolen certificate.`;
    - a `cert.generation_mismatch` audit event names the token, the bot and
      the bot instance.

  From then on every join through the token fails with the lock's message,
  the legitimate bot's included, until an administrator has looked into it
  and removed the lock. Further attempts create no further locks.

  Background:
    Given a bot client "alice" with an ECDSA P-256 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 3                       |

  Rule: the generation counter catches a copied certificate and locks the token

    # Teleport's TestJoinBoundKeypair_GenerationCounter, told as an operator
    # would tell it. Mode is the default (standard), limit 3.
    @BKP-GEN-001 @BKP-GEN-002 @BKP-GEN-003 @BKP-GEN-004 @BKP-GEN-005 @BKP-GEN-006
    Scenario: A bot's life, a copy of its credentials, and the lock that ends it
      # The bot onboards: a new bot instance, generation 1.
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the certificate names the bot instance bound to token "robot-token" at generation 1
      # It renews ten times: one bot instance, generations 2 to 11.
      When "alice" renews its certificate with token "robot-token" 10 times in a row
      Then those renewals carried generations 2 to 11, all for the bot instance bound to token "robot-token"
      And the generation counter of the bot instance bound to token "robot-token" stands at 11
      And 1 bot instance exists for bot "robot"
      # It loses its certificates and recovers with its latest join state:
      # a new bot instance, back to generation 1.
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the certificate names the bot instance bound to token "robot-token" at generation 1
      # Someone copies its data directory now, and the bot renews ten more times.
      Given a bot client "mallory" holding copies of the keypair, the certificate and the join state of "alice"
      When "alice" renews its certificate with token "robot-token" 10 times in a row
      Then those renewals carried generations 2 to 11, all for the bot instance bound to token "robot-token"
      # The copy is used: it presents generation 1, the server holds 11.
      When "mallory" renews with token "robot-token"
      Then the renewal is refused as a generation mismatch of the bot instance bound to token "robot-token": stored=11, presented=1
      And apart from one new lock on token "robot-token" saying exactly 'Bot joins via the token "robot-token" have been locked due to a certificate generation mismatch by robot/<bound bot instance of "robot-token">, possibly indicating a stolen certificate.', nothing changed on the server
      And the audit log has a generation-mismatch event for token "robot-token" naming its bot and the bot instance bound to it
      And the audit log has a failed "bot.join" event for token "robot-token"
      # From now on nobody joins through the token — not even the bot
      # that holds the right generation, renewing or recovering.
      When "alice" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "have been locked due to a certificate generation mismatch"
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"
      And the audit log has no "cert.generation_mismatch" event for token "robot-token"
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "have been locked due to a certificate generation mismatch"
      And nothing changed on the server
      When "mallory" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "have been locked due to a certificate generation mismatch"
      And nothing changed on the server
      And token "robot-token" is held by exactly one lock, the generation-mismatch lock

    # The other order: the copy renews first and gets generation 2; the
    # original then presents generation 1 and is the one refused. The server
    # cannot tell thief from owner — it locks the token either way.
    @BKP-GEN-003 @BKP-GEN-004 @BKP-GEN-006
    Scenario: When the copy renews first, the original's next renewal locks the token
      Given "alice" joins with token "robot-token"
      And the join succeeds
      And a bot client "mallory" holding copies of the keypair, the certificate and the join state of "alice"
      And "mallory" renews with token "robot-token"
      And the join succeeds
      When "alice" renews with token "robot-token"
      Then the renewal is refused as a generation mismatch of the bot instance bound to token "robot-token": stored=2, presented=1
      And apart from one new lock on token "robot-token" saying exactly 'Bot joins via the token "robot-token" have been locked due to a certificate generation mismatch by robot/<bound bot instance of "robot-token">, possibly indicating a stolen certificate.', nothing changed on the server
      When "mallory" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "have been locked due to a certificate generation mismatch"
      And nothing changed on the server
      And token "robot-token" is held by exactly one lock, the generation-mismatch lock

  Rule: a generation mismatch commits nothing, not even a due rotation

    # The admin asked for a keypair rotation; the stale renewal proves the
    # bound key, and (in Teleport's order, rotation before certificates) is
    # asked for a new key and proves that too, before the generation check
    # refuses it. The new key must not be bound. The suite does not insist
    # on that order: a server that refuses before asking for a key commits
    # nothing either.
    @BKP-GEN-009
    Scenario: A stale renewal during a requested rotation leaves the bound key as it was
      Given "alice" joins with token "robot-token"
      And the join succeeds
      And "alice" keeps a copy of its generation-1 certificate
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      And the request succeeds
      When "alice" renews with token "robot-token" presenting its kept generation-1 certificate
      Then the renewal is refused as a generation mismatch of the bot instance bound to token "robot-token": stored=2, presented=1
      And apart from one new lock on token "robot-token" saying exactly 'Bot joins via the token "robot-token" have been locked due to a certificate generation mismatch by robot/<bound bot instance of "robot-token">, possibly indicating a stolen certificate.', nothing changed on the server
      And the token "robot-token" has:
        | bound_public_key | <public key of "alice"> |
        | last_rotated_at  | <unset>                 |

  Rule: a renewal for a bot instance the cluster no longer knows is treated as a mismatch

    # The cluster lost its bot instance records while the token survived (it
    # is restored from a backup, status included, onto a cluster whose
    # certificate authorities are unchanged). The bot's certificate and join
    # state are still good, and the token is still bound to its instance —
    # but there is no record of the instance's generation. The server cannot
    # vouch for the certificate and locks the token, as for any mismatch.
    #
    # The control API has no route to delete one bot instance record; the
    # loss is staged with a reset (which keeps the CAs) and the admin's
    # restore of the token (create honours an incoming status). A recovery
    # cannot stage it: the replaced instance's record stays, and the token
    # is then bound to the new instance.
    @BKP-GEN-007
    Scenario: A renewal whose bot instance record is gone is refused and locks the token
      Given "alice" joins with token "robot-token"
      And the join succeeds
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the admin has a backup of token "robot-token"
      When the cluster loses its bot instance records and the admin restores token "robot-token" from the backup
      And "alice" renews with token "robot-token"
      Then the renewal is refused because the bot instance bound to token "robot-token" does not exist: presented=2
      And apart from one new lock on token "robot-token" saying exactly 'Bot joins via the token "robot-token" have been locked due to a certificate generation mismatch by robot/<bound bot instance of "robot-token">, possibly indicating a stolen certificate.', nothing changed on the server
      And the audit log has a generation-mismatch event for token "robot-token" naming its bot and the bot instance bound to it
      When "alice" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "have been locked due to a certificate generation mismatch"
      And token "robot-token" is held by exactly one lock, the generation-mismatch lock
