@client @needs-clock-control @needs-join-state @needs-bot-reload-signal
Feature: A stolen copy of the bot's storage is detected

  A story told end to end, as an operator would watch it; the server side
  of it is features/join-state/stolen-keypair.feature, here both bots are
  the real bot program.

  An attacker with read access to the robot's host copies its storage
  directory: the bound key, the join state, the certificate. The robot does
  not notice, and renews as usual. Later the thief runs the same bot
  program from the copy. The copied certificate has expired by then, so
  the thief joins without it: a recovery, which the token's limit allows,
  with a key that answers the challenge and a join state that is still
  current. Nothing can tell the thief from the robot at that moment, and
  the token is bound to the thief's new bot instance.

  But the robot's join state is now stale. At its next renewal the server
  sees the mismatch, concludes that two clients share the key, and locks
  the token (client notes R-JS-2, R-JS-3). The robot keeps running and
  keeps trying, and is refused by the lock — as the thief would be. The
  operator now has a lock that says what happened (W-7 tells how to bring
  the robot back).

  @BKP-JST-021 @BKP-JST-014 @BKP-LCK-003 @BKP-CLI-026
  Scenario: The thief recovers once with the copy; the robot's next renewal locks the token against both
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 3        |
    And the bot is running as a daemon with token "robot-token"
    # The theft.
    And a thief has copied the bot's storage directory
    # Life goes on: the robot renews, and the copied certificate runs out.
    And 40 minutes pass on the server's clock
    And the daemon renews now
    And 40 minutes pass on the server's clock
    # The thief uses the copy.
    When the thief runs the copied bot once with token "robot-token"
    Then the thief's run succeeds
    And the last join through token "robot-token" was not authenticated
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the token "robot-token" has:
      | recovery_count | 2 |
    # The robot's next renewal carries its now stale join state.
    When the daemon is asked to renew now
    Then the daemon's next join through token "robot-token" fails with PERMISSION_DENIED "join state verification failed"
    And the join state lockout locked token "robot-token" with the message:
      """
      The join token "robot-token" has been locked by bot "robot" after a client failed to verify its join state, possibly indicating a stolen keypair.
      """
    And the daemon reports the server's error "join state verification failed"
    And the daemon's retry through token "robot-token" is refused by a lock with the message "a client failed to verify its join state"
    And the daemon is still running
    And exactly 1 lock targets join token "robot-token"
