@client @RTY
Feature: A daemon whose first join fails: exit without an identity, carry on with one

  When tbot starts as a daemon its first act is a join (client notes
  C-LC-3). What happens when that join fails depends on what the bot
  already has:

    - nothing — it has never joined: there is no identity to carry on with,
      so tbot exits with the join's error (`joining with token: …`);
    - an identity from an earlier run: tbot logs `Failed to renew bot
      identity. Will attempt to proceed with the old identity, API calls may
      fail`, keeps running, and retries in the background with backoff
      (`Unable to renew bot identity on startup. Waiting to retry`) until a
      renewal succeeds — no restart needed.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |

  @BKP-RTY-001
  Scenario: Without an identity, a refused first join makes the daemon exit non-zero, showing the server's words
    Given the admin edits token "robot-token", setting spec.bound_keypair.recovery.limit to 0
    When the bot starts as a daemon with token "robot-token"
    Then the daemon exits within 30 seconds with a non-zero code
    And the daemon reports the server's error "no recovery attempts remaining"
    And nothing changed on the server

  @BKP-RTY-003 @needs-scripting
  Scenario: With an identity, a daemon whose startup renewal fails keeps running and renews as soon as the server answers
    Given the bot has joined once with token "robot-token"
    And the server is unavailable for the next 2 joins through token "robot-token"
    When the bot starts as a daemon with token "robot-token"
    Then the daemon's renewal through token "robot-token" succeeds within 20 seconds
    And that renewal took 3 joins, the first 2 refused with UNAVAILABLE
    And the last join through token "robot-token" was authenticated
    And the daemon is still running
    And the token "robot-token" has:
      | recovery_count | 1 |

  @BKP-RTY-004 @needs-scripting @needs-bot-tbot-messages
  Scenario: The daemon says it carries on with its old identity, and that it waits to retry
    Given the bot has joined once with token "robot-token"
    And the server is unavailable for the next join through token "robot-token"
    When the bot starts as a daemon with token "robot-token"
    Then the daemon's renewal through token "robot-token" succeeds within 20 seconds
    And the daemon's output says "Failed to renew bot identity. Will attempt to proceed with the old identity, API calls may fail"
    And the daemon's output says "Unable to renew bot identity on startup. Waiting to retry"
