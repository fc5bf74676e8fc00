@AGT @needs-role-Instance @needs-join-state @needs-recovery
Feature: A copied agent keypair is detected and the agent token locked

  The join state guards agents as it guards bots. Somebody copies an
  agent's private key together with its join state — a cloned VM image, a
  backup restored on a second machine. Meanwhile the real agent moves on:
  it recovers, and its join state now carries the new host ID and the new
  recovery_sequence. When the copy later tries to recover with the old join
  state, verification fails: two machines share the key. The server locks
  the token — one lock on the join token, with a message that names no bot
  (agent tokens have none):

    The join token "<token>" has been locked after a client failed to
    verify its join state, possibly indicating a stolen keypair.

  From then on every join through the token is refused with that message —
  the real agent's renewals included — and repeated attempts do not add
  locks, because the lock is checked before the join state.

  This is Teleport's TestJoinBoundKeypair_JoinStateFailure_Instance: a token
  with roles [Instance, App], a pre-registered key, recovery limit 3 in
  standard mode; onboard (join state S1), recover (S2, recovery_count 2),
  then a second client with the same key and the stale S1 recovers.

  @BKP-AGT-010 @BKP-AGT-008 @needs-lock-management
  Scenario: A cloned agent with a stale join state locks the token against both copies
    Given a bot client "app-1" with an Ed25519 keypair
    And a bound keypair token "app-token" for agents with roles [Instance, App] and:
      | onboarding.initial_public_key | <public key of "app-1"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 3                       |
    And "app-1" has completed a join with token "app-token" as an agent
    And a bot client "clone" holding copies of the keypair and the join state of "app-1"
    # The real agent recovers: new host ID, recovery_count 2, join state S2.
    When "app-1" recovers with token "app-token" as an agent
    Then the join succeeds
    And the agent was given a new host ID, now bound to token "app-token"
    And the agent's join state names the host ID bound to token "app-token" as sub and host_id, and no bot instance
    And the token "app-token" has:
      | recovery_count | 2 |
    # The clone presents S1: the key is right, the join state is stale.
    When "clone" recovers with token "app-token" as an agent
    Then the join fails with PERMISSION_DENIED "join state verification failed"
    And the server sent 1 challenge and 0 rotation requests
    And the join state lockout locked token "app-token" with the message:
      """
      The join token "app-token" has been locked after a client failed to verify its join state, possibly indicating a stolen keypair.
      """
    And apart from one new lock on token "app-token" saying exactly 'The join token "app-token" has been locked after a client failed to verify its join state, possibly indicating a stolen keypair.', nothing changed on the server
    And the audit log has a failed join state verification event for token "app-token" naming bot ""
    And the audit log has a failed "instance.join" event for token "app-token"
    # The real agent's host certificate, valid as it is, no longer gets it through.
    When "app-1" renews with token "app-token" as an agent
    Then the join is refused by a lock with the message "has been locked after a client failed to verify its join state"
    And nothing changed on the server
    When "app-1" recovers with token "app-token" as an agent
    Then the join is refused by a lock with the message "has been locked after a client failed to verify its join state"
    And nothing changed on the server
    # The clone keeps trying: the lock again, and still exactly one lock.
    When "clone" recovers with token "app-token" as an agent
    Then the join is refused by a lock with the message "has been locked after a client failed to verify its join state"
    And nothing changed on the server
    And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "app-token"
    And exactly 1 lock targets join token "app-token"

  # The other order: the clone recovers first with the current join state
  # (it cannot be told from the real agent), then the real agent's routine
  # renewal presents the now stale join state and trips the lock.
  @BKP-AGT-010 @needs-lock-management
  Scenario: The real agent's renewal after a clone's recovery locks the token
    Given a bot client "app-1" with an Ed25519 keypair
    And a bound keypair token "app-token" for agents with roles [Instance, App] and:
      | onboarding.initial_public_key | <public key of "app-1"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 3                       |
    And "app-1" has completed a join with token "app-token" as an agent
    And a bot client "clone" holding copies of the keypair and the join state of "app-1"
    When "clone" recovers with token "app-token" as an agent
    Then the join succeeds
    And the agent was given a new host ID, now bound to token "app-token"
    When "app-1" renews with token "app-token" as an agent
    Then the join fails with PERMISSION_DENIED "join state verification failed"
    And apart from one new lock on token "app-token" saying exactly 'The join token "app-token" has been locked after a client failed to verify its join state, possibly indicating a stolen keypair.', nothing changed on the server
    When "clone" renews with token "app-token" as an agent
    Then the join is refused by a lock with the message "has been locked after a client failed to verify its join state"
    And nothing changed on the server
    And exactly 1 lock targets join token "app-token"
