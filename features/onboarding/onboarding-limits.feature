@ONB
Feature: Onboarding counts as a recovery

  A token's recovery budget (spec.bound_keypair.recovery) covers the first
  join too: onboarding increments status.bound_keypair.recovery_count like
  every recovery does. In `standard` mode (also the meaning of an empty mode)
  a join is allowed only while recovery_count is below recovery.limit, and at
  onboarding this is the very first check: an exhausted token refuses with
  `no recovery attempts remaining` before it challenges anything or asks for
  a key. A consequence that surprises administrators: `limit: 0` in standard
  mode blocks the first join. `relaxed` and `insecure` modes ignore the limit.

  A token can start with a recovery_count above zero and no key bound, e.g.
  when it was restored from a backup (create honours an incoming status).

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: in standard mode the limit is checked before anything else

    @BKP-ONB-024 @BKP-ONB-034 @BKP-ONB-035 @BKP-ONB-040 @BKP-PRT-026
    Scenario Outline: An exhausted standard-mode token refuses onboarding before any challenge (mode "<mode>", <count> of <limit> used)
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key        | <public key of "alice"> |
        | recovery.mode                        | <mode>                  |
        | recovery.limit                       | <limit>                 |
        | status.bound_keypair.recovery_count  | <count>                 |
      When "alice" joins with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And 0 bot instances exist for bot "robot"
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"

      Examples:
        | mode     | limit | count |
        | standard | 1     | 1     |
        | standard | 2     | 3     |
        |          | 2     | 2     |

    @BKP-ONB-024 @BKP-ONB-034 @BKP-ONB-040
    Scenario: An exhausted token refuses even the right registration secret, which stays unused
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.registration_secret       | correct-horse |
        | recovery.mode                        | standard      |
        | recovery.limit                       | 1             |
        | status.bound_keypair.recovery_count  | 1             |
      When "alice" joins with token "robot-token" using the registration secret "correct-horse"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the token "robot-token" has:
        | registration_secret | correct-horse |
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"

    # An explicit recovery block without a limit keeps limit 0 (server §1.4);
    # here it is spelled out.
    @BKP-ONB-025 @BKP-ONB-034 @BKP-ONB-035 @BKP-ONB-040
    Scenario: A standard-mode token with limit 0 refuses its very first join
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 0                       |
      When "alice" joins with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"

    @BKP-ONB-027
    Scenario: The last recovery left in the budget can be spent on onboarding
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key        | <public key of "alice"> |
        | recovery.mode                        | standard                |
        | recovery.limit                       | 3                       |
        | status.bound_keypair.recovery_count  | 2                       |
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count    | 3     |
        | last_recovered_at | <now> |

  Rule: relaxed and insecure modes ignore the limit, but still count

    @BKP-ONB-026 @BKP-ONB-027 @BKP-ONB-028
    Scenario Outline: A <mode> token onboards whatever its limit (<count> of <limit> used)
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key        | <public key of "alice"> |
        | recovery.mode                        | <mode>                  |
        | recovery.limit                       | <limit>                 |
        | status.bound_keypair.recovery_count  | <count>                 |
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | bound_public_key  | <public key of "alice"> |
        | recovery_count    | <after>                 |
        | last_recovered_at | <now>                   |
      And the token "robot-token" is bound to a new bot instance of bot "robot"

      Examples:
        | mode     | limit | count | after |
        | relaxed  | 0     | 0     | 1     |
        | relaxed  | 1     | 4     | 5     |
        | insecure | 0     | 0     | 1     |
        | insecure | 2     | 7     | 8     |

    @BKP-ONB-026
    Scenario Outline: A <mode> token with limit 0 lets a bot register with its secret
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.registration_secret | correct-horse |
        | recovery.mode                  | <mode>        |
        | recovery.limit                 | 0             |
      And a bot client "bob" with no keypair yet
      When "bob" joins with token "robot-token" using the registration secret "correct-horse"
      Then the join succeeds
      And the token "robot-token" has:
        | bound_public_key | <public key of "bob"> |
        | recovery_count   | 1                     |

      Examples:
        | mode     |
        | relaxed  |
        | insecure |
