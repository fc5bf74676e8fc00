@client @RTY @needs-bot-reload-signal
Feature: A daemon renews every interval, and at once when asked

  Left alone, tbot renews its identity every renewal interval (20 minutes
  by default), well within the certificate's lifetime (1 hour). Each
  renewal presents the current certificate over mutual TLS, so the server
  treats it as a renewal: no recovery is consumed and the bot instance
  stays the same (client notes C-LC-1, C-LC-4, R-RC-2).

  An operator who does not want to wait — to pick up a requested key
  rotation, say — sends the reload signal (`pkill -usr1 tbot`, C-LC-5,
  R-RT-5), and the bot renews at once.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"

  @BKP-RTY-009
  Scenario: A daemon renews on its own every renewal interval, presenting its current certificate each time
    Given the bot renews every 2 seconds
    And the bot is running as a daemon with token "robot-token"
    Then the daemon renews through token "robot-token" on its own 2 times, about 2 seconds apart
    And all 2 of those renewals succeeded, each presenting the certificate the join before it had issued
    And the token "robot-token" has:
      | recovery_count | 1 |
    And 1 bot instance exists for bot "robot"

  @BKP-RTY-010
  Scenario: The reload signal makes a waiting daemon renew at once
    Given the bot is running as a daemon with token "robot-token"
    # Its renewal interval is tbot's 20 minutes: by itself it would wait.
    Then no join through token "robot-token" reaches the server for 1 second
    When the daemon is asked to renew now
    Then the daemon's renewal through token "robot-token" succeeds within 5 seconds
    And that renewal took 1 join
    And the last join through token "robot-token" was authenticated
    And the token "robot-token" has:
      | recovery_count | 1 |
