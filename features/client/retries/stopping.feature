@client @RTY
Feature: SIGTERM stops a daemon cleanly, also while it waits to retry

  An operator (or systemd, or Kubernetes) stops tbot with SIGTERM. The bot
  should stop promptly and exit 0 — a stop is not a failure — whatever it
  was doing: waiting for its next renewal interval, or waiting out the
  backoff after a failed attempt, which can last up to a minute. A join
  already in flight may finish first, so no state file is left half
  written; a wait must not.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"

  @BKP-RTY-016
  Scenario: A daemon waiting for its next renewal stops at SIGTERM and exits 0
    Given the bot is running as a daemon with token "robot-token"
    When the daemon is sent SIGTERM
    Then the daemon exits within 5 seconds with code 0

  # With a first retry delay of 30 seconds, the wait after the failed
  # attempt lasts at least 15 seconds: an exit within 5 seconds cut it short.
  @BKP-RTY-016 @needs-scripting @needs-bot-retry-knobs @needs-bot-reload-signal
  Scenario: A daemon waiting to retry a failed renewal stops at SIGTERM without finishing its wait
    Given the bot retries after 30 seconds at first, doubling up to 1 minute
    And the bot is running as a daemon with token "robot-token"
    And the server is unavailable for every join through token "robot-token"
    When the daemon is asked to renew now
    Then the daemon's next join through token "robot-token" fails with UNAVAILABLE "join service unavailable (scripted outage)"
    When the daemon is sent SIGTERM
    Then the daemon exits within 5 seconds with code 0
