@REC
Feature: The recovery limit in standard mode

  In `standard` mode — also what an empty recovery.mode means — a token
  allows only spec.bound_keypair.recovery.limit recoveries over its life,
  counted in status.bound_keypair.recovery_count. Onboarding counts as the
  first one, so a token with `limit: 3` onboards once and then recovers
  twice. Renewals (a bot presenting its still-valid certificate) never count.

  Where the limit is checked matters, and the order is Teleport's:

    1. the key proof: one challenge for the bound key. A caller without the
       key fails here with `validating challenge response` and learns
       nothing about the token's budget;
    2. the limit: an exhausted token refuses with `no recovery attempts
       remaining` (PERMISSION_DENIED). Nothing changes and, as in Teleport,
       no recovery audit event is written for it;
    3. the lock check, then the join state. Because the limit comes first, a
       bot on an exhausted token that also presents a stale or broken join
       state gets the limit error — it cannot trip the join state lock.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: recoveries succeed while recovery_count is below the limit

    @BKP-REC-005
    Scenario Outline: The second recovery of a limit-2 token succeeds (mode "<mode>")
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | <mode>                  |
        | recovery.limit                | 2                       |
      And "alice" has completed a join with token "robot-token"
      And the token "robot-token" has:
        | recovery_count | 1 |
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the token "robot-token" has:
        | recovery_count | 2 |
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 2                                     |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
        | recovery_limit    | 2                                     |

      Examples:
        | mode     |
        | standard |
        |          |

  Rule: an exhausted token refuses the bound key after its challenge

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 2                       |
      And "alice" has completed a join with token "robot-token"
      And "alice" keeps a copy of its join state as "before the last recovery"
      And "alice" has recovered 1 time with token "robot-token"
      And the join state "alice" holds differs from its copy "before the last recovery"
      And the token "robot-token" has:
        | recovery_count | 2 |

    @BKP-REC-006
    Scenario: The bound key cannot recover once recovery_count has reached the limit
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 1 challenge and 0 rotation requests
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And nothing changed on the server
      And 2 bot instances exist for bot "robot"
      And the audit log has a failed "bot.join" event for token "robot-token"

    # A SHOULD (Teleport's recovery branch emits no BoundKeypairRecovery
    # event for this refusal, server §10); kept apart from the MUST above so
    # a report tells the two apart.
    @BKP-REC-017
    Scenario: Running out of recoveries leaves no recovery audit event
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"

    @BKP-REC-007 @BKP-REC-009 @BKP-REC-016
    Scenario: Without the key, an exhausted token answers with the challenge error, not the limit
      Given a bot client "mallory" with an Ed25519 keypair
      When "mallory" recovers with token "robot-token", signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the recovery error does not say "no recovery attempts remaining"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the join recorded one failed recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 2 and mode "standard"

    # Without the limit check first, the stale copy (issued before the last
    # recovery) and the garbage would fail join state verification and lock
    # the token (BKP-JST-008, BKP-JST-006); a missing join state would fail
    # verification without a lock (BKP-JST-001).
    @BKP-REC-008
    Scenario Outline: The limit is checked before the join state: <what>
      Given <what happened>
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the recovery error does not say "join state verification failed"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"

      Examples:
        | what                                       | what happened                                                                   |
        | a join state from before the last recovery | the join state "alice" holds is replaced by its copy "before the last recovery" |
        | bytes that are no join state               | the join state "alice" holds is replaced by the bytes "asdf"                    |
        | no join state at all                       | the join state "alice" holds is discarded                                       |
