@client @CTR @needs-bot-container
Feature: A bot whose container is killed joins again when it is started again

  A bot in a container dies the hard way: the container is killed (an
  out-of-memory kill, `docker kill`, a node lost). Its storage lives outside
  the container, in a volume. Started again, in a fresh container, the bot
  finds its key, its certificate and its join state there and carries on:
  its next join is a renewal through the same bot instance, not a recovery,
  and the token's recovery budget is untouched.

  These scenarios need a bot target that runs the bot in a container and
  can kill it (capability container, operation kill:
  targets/reference-bot.container.yaml). Elsewhere they are not applicable.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"

  @BKP-CTR-003
  Scenario: A daemon's container killed with SIGKILL; a new container renews with what the storage kept
    Given the bot is running as a daemon with token "robot-token"
    When the bot's container is killed with SIGKILL
    Then the bot's container is gone
    When the bot starts as a daemon with token "robot-token"
    Then the daemon's renewal through token "robot-token" succeeds within 30 seconds
    And the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" sent, byte for byte, the join state the join before it returned
    And the token "robot-token" has:
      | recovery_count | 1 |
    And 1 bot instance exists for bot "robot"
