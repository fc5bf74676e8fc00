@client @needs-clock-control @needs-bot-reload-signal
Feature: A week of renewals

  A story told end to end, as an operator would watch it.

  The robot's host runs the bot as a daemon, with certificates that last 8
  hours and a renewal every 4 hours. For a week nothing happens that anyone
  would notice, and that is the point: every renewal presents the
  certificate the one before issued, proves the bound key, sends back the
  join state it kept, and gets new ones. Nothing is consumed. The token's
  recovery_count stays where onboarding left it, the bot instance is the
  same all week, and its generation counter has counted every renewal.

  The week passes on the server's virtual clock, which the bot follows
  through its clock file; after every 4-hour step the daemon is asked to
  renew (its own timer counts real time), so the week takes seconds.

  @BKP-RTY-009 @BKP-CLI-022
  Scenario: The robot renews every 4 hours for a week without consuming a recovery
    Given the bot's certificates last 8 hours
    And the bot renews every 4 hours
    And the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |
    And the bot is running as a daemon with token "robot-token"
    When 7 days pass on the server's clock in steps of 4 hours, the daemon renewing after each step
    Then all 42 of those renewals succeeded, each presenting the certificate the join before it had issued
    And the token "robot-token" has:
      | recovery_count   | 1                               |
      | bound_public_key | <public key printed by the bot> |
    And 1 bot instance exists for bot "robot"
    And the generation counter of the bot instance bound to token "robot-token" stands at 43
    And the daemon is still running
