@LCK
Feature: Administrator workflows around locks and join state

  Two workflows from Teleport's admin guide, told end to end as an
  administrator lives them (client notes W-7 and W-8).

  Recovering a locked bot (W-7). A join state lockout is not always theft:
  a bot whose disk is restored from an older snapshot presents an old join
  state and locks its own token. Once the administrator is sure the host is
  clean, they remove the lock, switch the token to `insecure` so that the
  stale join state is ignored, let the bot recover, and switch back to
  `standard` — with a recovery limit above the count, or the next recovery
  would be refused.

  Disabling join state verification (W-8). Ephemeral CI jobs and hosts with
  immutable storage cannot keep a join state: every job starts from nothing
  but the key. With `recovery.mode: insecure` each job simply recovers:
  no join state is asked for, the recovery limit is ignored, and nothing is
  ever locked for it — at the price that anyone with a copy of the key can
  join, indefinitely.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  @BKP-LCK-011 @needs-lock-management @needs-join-state @needs-renewal @needs-recovery
  Scenario: W-7: a bot restored from an old disk snapshot locks its own token, and the admin brings it back
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 2                       |
      | recovery.mode                 | standard                |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And "alice" keeps a copy of its join state as "snapshot"
    And "alice" recovers with token "robot-token"
    And the join succeeds
    # The host's disk is rolled back: alice's join state is the old one.
    And the join state "alice" holds is replaced by its copy "snapshot"
    When "alice" renews with token "robot-token"
    Then the join fails with PERMISSION_DENIED "join state verification failed"
    And exactly 1 lock targets join token "robot-token"
    # Steps 2–3: find the lock on the token and remove it. Removing it is not
    # enough: the join state is still stale, and a retry locks the token again.
    When the admin removes the lock targeting join token "robot-token"
    And "alice" renews with token "robot-token"
    Then the join fails with PERMISSION_DENIED "join state verification failed"
    And exactly 1 lock targets join token "robot-token"
    # Steps 4–6: remove the lock, switch to insecure, let the bot recover.
    # The limit (2) is used up, but insecure mode ignores it.
    When the admin removes the lock targeting join token "robot-token"
    And the admin edits token "robot-token", setting spec.bound_keypair.recovery.mode to insecure
    And "alice" recovers with token "robot-token"
    Then the join succeeds
    And the token "robot-token" has:
      | recovery_count | 3 |
    And exactly 0 locks target join token "robot-token"
    And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
    # Step 7: back to standard, with room for the next recovery.
    When the admin edits token "robot-token", setting:
      | spec.bound_keypair.recovery.mode  | standard |
      | spec.bound_keypair.recovery.limit | 4        |
    And "alice" renews with token "robot-token"
    Then the join succeeds
    When "alice" recovers with token "robot-token"
    Then the join succeeds
    And the token "robot-token" has:
      | recovery_count | 4 |
    And exactly 0 locks target join token "robot-token"

  # Each job is a fresh client holding only the shared key: the first one
  # onboards, every later one recovers. The limit is 0 — in standard mode
  # not even the onboarding would be allowed.
  @BKP-JST-005 @BKP-REC-011 @needs-recovery
  Scenario: W-8: CI jobs that keep nothing but the key join one after another in insecure mode
    Given a bound keypair token "ci-token" for bot "ci" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 0                       |
      | recovery.mode                 | insecure                |
    And a bot client "job-1" holding a copy of the keypair of "alice"
    And a bot client "job-2" holding a copy of the keypair of "alice"
    And a bot client "job-3" holding a copy of the keypair of "alice"
    When "job-1" joins with token "ci-token"
    Then the join succeeds
    When "job-2" joins with token "ci-token"
    Then the join succeeds
    And the token "ci-token" is bound to a new bot instance of bot "ci"
    When "job-3" joins with token "ci-token"
    Then the join succeeds
    And the token "ci-token" is bound to a new bot instance of bot "ci"
    And the token "ci-token" has:
      | recovery_count | 3 |
    And 3 bot instances exist for bot "ci"
    # A job that did keep the join state of an earlier job is not punished
    # for it either.
    Given a bot client "job-4" holding copies of the keypair and the join state of "job-1"
    When "job-4" joins with token "ci-token"
    Then the join succeeds
    And the token "ci-token" has:
      | recovery_count | 4 |
    And exactly 0 locks target join token "ci-token"
    And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "ci-token"
