@client @RTY
Feature: A one-shot run joins once and exits

  `tbot start --oneshot` is how an operator checks a setup, and how a CI job
  gets credentials (client notes C-LC-6, R-SK-5): the bot makes one join
  and exits — 0 when the join succeeded and its state is stored, non-zero
  when it did not. It never waits for its renewal interval and never
  retries in the background: whoever started it needs an answer, not a
  process that hangs on.

  A bot that has never joined has nothing to fall back on, so a failed
  first join ends the run with the join's error, prefixed with tbot's
  context `joining with token` (C-LC-3). The server's own words are shown
  verbatim, so the operator can tell "no recovery attempts remaining" from
  a server that is down.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |

  @BKP-RTY-011
  Scenario: A successful one-shot join exits 0 after exactly one join
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And exactly 1 join through token "robot-token" reached the server during the bot's last run
    And the last join through token "robot-token" succeeded

  @BKP-RTY-011 @BKP-RTY-001
  Scenario: A refused first join ends the one-shot run non-zero after one join, with the server's words
    Given the admin edits token "robot-token", setting spec.bound_keypair.recovery.limit to 0
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the bot reports the server's error "no recovery attempts remaining"
    And exactly 1 join through token "robot-token" reached the server during the bot's last run
    And nothing changed on the server

  @BKP-RTY-001 @BKP-RTY-002 @BKP-RTY-017 @needs-scripting @needs-bot-tbot-messages @needs-bot-exit-codes
  Scenario: A first join that cannot reach the join service is reported with tbot's context and the join_failed exit code
    Given the server answers the next join through token "robot-token" with UNAVAILABLE "the auth server is restarting"
    When the bot joins once with token "robot-token"
    Then the bot fails with the join_failed exit code
    And the bot's output says "joining with token"
    And the bot reports the server's error "the auth server is restarting"

  @BKP-RTY-011 @needs-scripting
  Scenario: A one-shot renewal that fails exits non-zero too, even though the bot holds an identity
    Given the bot has joined once with token "robot-token"
    And the server is unavailable for the next join through token "robot-token"
    When the bot joins once with token "robot-token"
    Then the bot fails
    And exactly 1 join through token "robot-token" reached the server during the bot's last run
    And the last join through token "robot-token" was authenticated
