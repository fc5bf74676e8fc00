@REC
Feature: Recovery modes

  spec.bound_keypair.recovery.mode chooses how strict recovery is. Exactly
  two checks depend on it; everything else — the key proof, the lock
  check, the counter — is the same in every mode:

    | mode                  | limit enforced? | join state required?         |
    | `standard` (or empty) | yes             | yes, once recovery_count > 0 |
    | `relaxed`             | no              | yes, once recovery_count > 0 |
    | `insecure`            | no              | never                        |

  In `relaxed` and `insecure` mode recovery_count keeps counting and may
  pass the limit. `insecure` is for bots that cannot keep state (CI, golden
  images): it accepts a recovery with no join state at all.

  The mode is not checked when the token is stored. It is parsed at the
  start of every join, before the branch is chosen, so a typo bricks the
  token: every renewal and every recovery is refused with `invalid recovery
  mode: <mode>` (wrapped `parsing recovery mode`) before any challenge, and
  nothing changes — not even a bot instance's generation.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: relaxed and insecure modes do not limit recoveries, but still count them

    # Onboarding at limit 0 is allowed in these modes (BKP-ONB-026), so the
    # token starts at recovery_count 1, already above its limit.
    @BKP-REC-015
    Scenario Outline: In <mode> mode a bot recovers again and again past a limit of 0
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | <mode>                  |
        | recovery.limit                | 0                       |
      And "alice" has completed a join with token "robot-token"
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the token "robot-token" has:
        | recovery_count                    | 2     |
        | last_recovered_at                 | <now> |
        | spec.bound_keypair.recovery.limit | 0     |
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 2      |
        | recovery_mode     | <mode> |
      And the join recorded one successful recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 2 and mode "<mode>"
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 3 |
      And 3 bot instances exist for bot "robot"

      @BKP-REC-010 @BKP-REC-015
      Examples: relaxed
        | mode    |
        | relaxed |

      @BKP-REC-011 @BKP-REC-015
      Examples: insecure
        | mode     |
        | insecure |

    # Restored from a backup well past its limit: count 7 with limit 0 and
    # no join state the bot could hold. Only insecure mode lets it in.
    @BKP-REC-011 @BKP-REC-014
    Scenario: An insecure token far past its limit recovers a stateless bot
      Given a bound keypair token "ci-token" for bot "ci" with:
        | recovery.mode                              | insecure                             |
        | recovery.limit                             | 0                                    |
        | status.bound_keypair.bound_public_key      | <public key of "alice">              |
        | status.bound_keypair.bound_bot_instance_id | 6f1d3c1e-0000-4000-8000-0000000000c1 |
        | status.bound_keypair.recovery_count        | 7                                    |
      When "alice" recovers with token "ci-token"
      Then the join succeeds
      And the token "ci-token" has:
        | recovery_count | 8 |
      And the recovered bot instance of token "ci-token" names no previous instance

  Rule: only insecure mode does without the join state

    # Relaxed lifts the limit, not the join state (BKP-JST-001). A missing
    # join state fails without a lock (BKP-JST-002).
    @BKP-JST-001 @BKP-JST-002
    Scenario Outline: A <mode> token refuses a recovery without the join state
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | <mode>                  |
        | recovery.limit                | 5                       |
      And "alice" has completed a join with token "robot-token"
      And the join state "alice" holds is discarded
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server

      Examples:
        | mode     |
        | standard |
        | relaxed  |

    @BKP-REC-011 @BKP-REC-014 @BKP-JST-005
    Scenario: An insecure token recovers a bot that lost its join state
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | insecure                |
        | recovery.limit                | 0                       |
      And "alice" has completed a join with token "robot-token"
      And the join state "alice" holds is discarded
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      And the recovered bot instance of token "robot-token" names no previous instance
      And the join recorded one successful recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 2 and mode "insecure"

  Rule: an unknown mode refuses renewals and recoveries before any challenge

    # Teleport parses the mode as written; we do not assume it is
    # case-insensitive, so only plain typos are tested.
    @BKP-REC-012 @BKP-TOK-018
    Scenario Outline: A token whose mode reads "<typo>" refuses a bot that <join>
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 3                       |
      And "alice" has completed a join with token "robot-token"
      And the admin edits token "robot-token", setting recovery.mode to <typo>
      When "alice" <join> with token "robot-token"
      Then the join fails with INVALID_ARGUMENT "invalid recovery mode: <typo>"
      And the error status also says "parsing recovery mode"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And 1 bot instance exists for bot "robot"
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"

      Examples: a bot holding a valid certificate renews
        | typo     | join   |
        | bogus    | renews |
        | standrad | renews |

      Examples: a bot without certificates recovers
        | typo     | join     |
        | bogus    | recovers |
        | standrad | recovers |
