@client @RTY @needs-clock-control @needs-bot-reload-signal
Feature: A running bot whose certificate has expired recovers at its next renewal

  tbot presents its certificate at every renewal, so a running bot never
  needs a recovery. But a host can sleep, or be suspended, past the
  certificate's lifetime (1 hour by default). When it wakes, the stored
  identity has expired: since Teleport 18.1.0 tbot discards it during the
  renewal — no restart needed — and joins without a certificate (client
  notes C-LC-2). The server counts that as a recovery: a new bot instance,
  recovery_count + 1, within the token's limit. The next renewal presents
  the new certificate again, and costs nothing.

  The server's clock is virtual here, and the bot follows it through its
  clock file, so the certificate expires on both clocks at once.

  @BKP-CLI-024 @BKP-RTY-019
  Scenario: The certificate expires while the daemon waits; its next renewal is a recovery, the one after a renewal again
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 2        |
    And the bot is running as a daemon with token "robot-token"
    And the token "robot-token" has:
      | recovery_count | 1 |
    When 2 hours pass on the server's clock
    And the daemon renews now
    Then the last join through token "robot-token" was not authenticated
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the token "robot-token" has:
      | recovery_count    | 2     |
      | last_recovered_at | <now> |
    When 20 minutes pass on the server's clock
    And the daemon renews now
    Then the last join through token "robot-token" was authenticated
    And the token "robot-token" has:
      | recovery_count | 2 |
    And 2 bot instances exist for bot "robot"
    And the daemon is still running
