@client @needs-clock-control @needs-rotation-request @needs-bot-reload-signal @needs-bot-tbot-layout
Feature: The admin requests a keypair rotation; the running bot carries it out

  A story told end to end, as an operator would watch it (client notes
  W-5).

  The admin wants the robot to use a new key, and requests a rotation for
  its token (`tctl bound-keypair request-rotation`, which sets
  `rotate_after` to now). Nothing happens on the bot's host until the bot
  next authenticates; the admin does not want to wait up to 20 minutes, so
  the operator sends tbot its reload signal (`pkill -usr1 tbot`). The bot
  renews at once: it proves its current key, is asked for a new one,
  generates it, proves that too, and receives its certificates. The token
  is now bound to the new key, the bot keeps it as its active key and the
  old one in its history, and it is still the same bot instance. The next
  renewal proves the new key, and does not rotate again.

  @BKP-RTY-010 @BKP-CRT-006
  Scenario: A requested rotation is carried out by the daemon's next renewal, hurried by the reload signal
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot is running as a daemon with token "robot-token"
    When the admin requests a keypair rotation for token "robot-token"
    And the daemon renews now
    Then the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" had 2 challenges and 1 rotation request
    And the bot's active key is the key bound to token "robot-token"
    And the bot's key history holds, newest first:
      | the active key                    |
      | the public key printed by the bot |
    And the token "robot-token" has:
      | recovery_count  | 1     |
      | last_rotated_at | <now> |
    And 1 bot instance exists for bot "robot"
    # The next renewal proves the new key, and does not rotate again.
    When 20 minutes pass on the server's clock
    And the daemon renews now
    Then the last join through token "robot-token" had 1 challenge and 0 rotation requests
    And every challenge in the last join through token "robot-token" named the key bound to the token
