@client @needs-clock-control @needs-scripting @needs-bot-reload-signal
Feature: An outage longer than the certificate's lifetime

  A story told end to end, as an operator would watch it.

  The robot's host runs the bot as a daemon. The operator gave its token
  `limit: 2`: one recovery for onboarding, one spare. Then the auth
  server goes down, for longer than the bot's certificates last. The bot
  keeps trying, and keeps failing, and does not give up. By the time the
  server answers again, the bot's certificate has expired, so it discards
  it and joins without one: a recovery, with the key and the join state it
  kept. Exactly one recovery is spent — the spare — and from then on the
  bot renews with its new certificate as if nothing had happened
  (client notes R-RC-1, R-RC-2, C-LC-2, C-LC-4; W-3 step 3).

  @BKP-RTY-014 @BKP-RTY-015
  Scenario: The server is down for two hours; when it is back the bot recovers once, then renews
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 2        |
    And the bot is running as a daemon with token "robot-token"
    # The outage: every join fails, and the certificate runs out meanwhile.
    Given the server is unavailable for every join through token "robot-token"
    And 2 hours pass on the server's clock
    When the daemon is asked to renew now
    Then the daemon's next join through token "robot-token" fails with UNAVAILABLE "join service unavailable (scripted outage)"
    And the daemon is still running
    # The server is back while the bot is still trying.
    When the server answers joins through token "robot-token" normally again
    Then the daemon's renewal through token "robot-token" succeeds within 30 seconds
    And the last join through token "robot-token" was not authenticated
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the token "robot-token" has:
      | recovery_count    | 2     |
      | last_recovered_at | <now> |
    # Back to normal: the next renewal presents the new certificate.
    When 20 minutes pass on the server's clock
    And the daemon renews now
    Then the last join through token "robot-token" was authenticated
    And the token "robot-token" has:
      | recovery_count | 2 |
    And 2 bot instances exist for bot "robot"
