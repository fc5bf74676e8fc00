@JST @needs-join-state @needs-renewal @needs-recovery
Feature: A stolen keypair is detected and locked out

  The threat the join state exists for. A thief copies a bot's private key
  and its join state from the bot's disk. With those two it can recover
  through the token once: the key answers the challenge, the join state is
  current, and the server binds the token to a new bot instance — the
  thief's. Nothing can tell the thief from the real bot at that moment.

  But now the real bot holds a stale join state. The next time it joins —
  typically a routine renewal with its still-valid certificate — its join
  state no longer matches the token (wrong recovery_sequence, wrong bot
  instance). The server concludes that two clients share the key and locks
  the token. From then on nobody gets through it: not the real bot, not the
  thief. Repeated attempts do not pile up locks, because the lock is checked
  before the join state.

  Then an administrator makes sure the bot's host is clean and brings the
  bot back (client notes W-7): remove the lock, switch the token to
  `insecure` so the stale join state is ignored, let the bot recover, and
  switch back to `standard`, with a recovery limit above the count so the
  bot can recover again later. The bot's next renewal presents the join
  state its recovery returned, and the token is guarded again.

  These are Teleport's TestJoinBoundKeypair_JoinStateFailureDuringRenewal
  and TestJoinBoundKeypair_JoinStateFailure.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 3                       |
      | recovery.mode                 | standard                |
    And "alice" joins with token "robot-token"
    And the join succeeds

  @BKP-JST-021 @BKP-JST-008 @BKP-JST-014 @BKP-LCK-003 @BKP-LCK-011 @needs-lock-management
  Scenario: A thief recovers once; the real bot's next renewal locks the token against both, and the admin recovers the bot
    # The theft.
    Given a bot client "thief" holding copies of the keypair and the join state of "alice"
    When "thief" recovers with token "robot-token"
    Then the join succeeds
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the token "robot-token" has:
      | recovery_count | 2 |
    # The real bot renews as usual, with its valid certificate and its now
    # stale join state.
    When "alice" renews with token "robot-token"
    Then the join fails with PERMISSION_DENIED "join state verification failed"
    And the join state lockout locked token "robot-token" with the message:
      """
      The join token "robot-token" has been locked by bot "robot" after a client failed to verify its join state, possibly indicating a stolen keypair.
      """
    And apart from one new lock on token "robot-token" saying "failed to verify its join state", nothing changed on the server
    And the audit log has a failed join state verification event for token "robot-token" naming bot "robot"
    # The thief, holding the current join state and a valid certificate, is
    # stopped by the lock.
    When "thief" renews with token "robot-token"
    Then the join is refused by a lock with the message "a client failed to verify its join state"
    And nothing changed on the server
    And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
    When "thief" recovers with token "robot-token"
    Then the join is refused by a lock with the message "a client failed to verify its join state"
    And nothing changed on the server
    # The real bot keeps retrying, with its stale join state: still the
    # lock, and still exactly one lock.
    When "alice" renews with token "robot-token"
    Then the join is refused by a lock with the message "a client failed to verify its join state"
    And nothing changed on the server
    When "alice" recovers with token "robot-token"
    Then the join is refused by a lock with the message "a client failed to verify its join state"
    And nothing changed on the server
    And exactly 1 lock targets join token "robot-token"
    # The administrator brings the bot back (W-7).
    When the admin removes the lock targeting join token "robot-token"
    And the admin edits token "robot-token", setting spec.bound_keypair.recovery.mode to insecure
    And "alice" recovers with token "robot-token"
    Then the join succeeds
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the token "robot-token" has:
      | recovery_count | 3 |
    When the admin edits token "robot-token", setting:
      | spec.bound_keypair.recovery.mode  | standard |
      | spec.bound_keypair.recovery.limit | 4        |
    And "alice" renews with token "robot-token"
    Then the join succeeds
    And the returned join state is signed by the cluster's bound_keypair CA with claims:
      | recovery_sequence | 3                                     |
      | bot_instance_id   | <bound bot instance of "robot-token"> |
      | recovery_mode     | standard                              |
    And exactly 0 locks target join token "robot-token"
    # The thief's copy is worthless now: its join state is stale, so trying
    # it locks the token again.
    When "thief" recovers with token "robot-token"
    Then the join fails with PERMISSION_DENIED "join state verification failed"
    And exactly 1 lock targets join token "robot-token"

  # The other order: the real bot recovers first (its certificate had
  # expired), so the thief holds the stale copy and its recovery trips the
  # lock. The real bot's certificate from its recovery is then useless too.
  @BKP-JST-008 @BKP-JST-014 @BKP-LCK-003
  Scenario: A thief with an old copy of the join state locks the token on its first try, and the real bot is locked out with it
    Given a bot client "thief" holding copies of the keypair and the join state of "alice"
    And "alice" recovers with token "robot-token"
    And the join succeeds
    When "thief" recovers with token "robot-token"
    Then the join fails with PERMISSION_DENIED "join state verification failed"
    And the join state lockout locked token "robot-token" with the message:
      """
      The join token "robot-token" has been locked by bot "robot" after a client failed to verify its join state, possibly indicating a stolen keypair.
      """
    And apart from one new lock on token "robot-token" saying "failed to verify its join state", nothing changed on the server
    And the audit log has a failed join state verification event for token "robot-token" naming bot "robot"
    When "alice" renews with token "robot-token"
    Then the join is refused by a lock with the message "a client failed to verify its join state"
    And nothing changed on the server
    When "thief" recovers with token "robot-token"
    Then the join is refused by a lock with the message "a client failed to verify its join state"
    And nothing changed on the server
    And exactly 1 lock targets join token "robot-token"
