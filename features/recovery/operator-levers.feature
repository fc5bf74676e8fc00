@REC
Feature: Operator levers on recovery: the limit and the mode

  When a bot in `standard` mode has used up its recoveries, it keeps
  retrying and keeps hearing `no recovery attempts remaining`. The
  administrator decides what happens next by editing the token
  (`tctl edit token/<name>`), which changes the spec and keeps the status:

    - W-3, allow more recoveries: raise spec.bound_keypair.recovery.limit.
      The limit counts against recovery_count over the token's whole life,
      so raising it by one buys exactly one more recovery, consumed at
      once by the waiting bot. Raising it by two leaves one spare.
    - Lowering the limit to recovery_count or below (0 included) stops
      recoveries at once. Renewals are not affected (BKP-REN-006): a bot
      that keeps its certificate fresh never notices.
    - W-4, allow unlimited recoveries: switch the mode to `relaxed` (the
      join state is still required) or `insecure` (it is not). The counter
      keeps counting, so it can pass the limit.
    - Switching back to `standard` with recovery_count at or above the limit
      blocks recoveries again until the limit is raised above the count.

  In these stories the bot has lost its certificates (it recovers without
  presenting one) but kept its key and its latest join state, as tbot does.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: raising the limit by one allows exactly one more recovery (W-3)

    @BKP-REC-018
    Scenario Outline: A token exhausted at <used> of <used> allows exactly one more recovery when the limit is raised to <raised>
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | <used>                  |
      And "alice" has completed a join with token "robot-token"
      And "alice" has recovered <recovered> times with token "robot-token"
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And nothing changed on the server
      When the admin edits token "robot-token", setting recovery.limit to <raised>
      And "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the token "robot-token" has:
        | recovery_count | <raised> |
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server

      Examples:
        | used | recovered | raised |
        | 1    | 0         | 2      |
        | 3    | 2         | 4      |

    # The realistic form of W-3: the certificate expired during an outage,
    # the bot (tbot) keeps retrying, the operator adds one recovery, and the
    # bot's next attempt takes it.
    @BKP-REC-018 @needs-clock-control
    Scenario: A bot stuck after an outage is let back in by raising the limit by one
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 1                       |
      And "alice" has completed a join with token "robot-token"
      And "alice" stays offline until its certificate has expired
      When "alice" joins with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      When "alice" joins with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      When the admin edits token "robot-token", setting recovery.limit to 2
      And "alice" joins with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count    | 2     |
        | last_recovered_at | <now> |

  Rule: lowering the limit to recovery_count or below blocks the next recovery

    @BKP-REC-019
    Scenario Outline: Lowering the limit from 5 to <lowered> with 2 recoveries used blocks recovery, but not renewal
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 5                       |
      And "alice" has completed a join with token "robot-token"
      And "alice" has recovered 1 time with token "robot-token"
      When the admin edits token "robot-token", setting recovery.limit to <lowered>
      And "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the token "robot-token" has:
        | recovery_count | 2 |
      # Renewals are not limited (BKP-REN-006): alice still holds the
      # certificate of its last recovery.
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |

      Examples:
        | lowered |
        | 2       |
        | 1       |
        | 0       |

  Rule: relaxed and insecure modes lift the limit (W-4)

    Scenario Outline: An exhausted standard token switched to <mode> lets the bot recover again and again
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 1                       |
      And "alice" has completed a join with token "robot-token"
      And "alice" recovers with token "robot-token"
      And the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      When the admin edits token "robot-token", setting recovery.mode to <mode>
      And "alice" recovers with token "robot-token"
      Then the join succeeds
      And the join recorded one successful recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 2 and mode "<mode>"
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count                    | 3 |
        | spec.bound_keypair.recovery.limit | 1 |
      And 3 bot instances exist for bot "robot"

      @BKP-REC-010
      Examples: relaxed
        | mode    |
        | relaxed |

      @BKP-REC-011
      Examples: insecure
        | mode     |
        | insecure |

  Rule: back in standard mode, a count at or above the limit blocks recoveries until the limit is raised

    @BKP-REC-020
    Scenario Outline: Switching from <mode> back to standard with 3 recoveries used and limit 1
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | <mode>                  |
        | recovery.limit                | 1                       |
      And "alice" has completed a join with token "robot-token"
      And "alice" has recovered 2 times with token "robot-token"
      When the admin edits token "robot-token", setting recovery.mode to standard
      And "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And nothing changed on the server
      # Raising the limit up to the count is not enough: it must exceed it.
      When the admin edits token "robot-token", setting recovery.limit to 3
      And "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And nothing changed on the server
      When the admin edits token "robot-token", setting recovery.limit to 4
      And "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 4 |
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 4        |
        | recovery_mode     | standard |

      Examples:
        | mode     |
        | relaxed  |
        | insecure |
