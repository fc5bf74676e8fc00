@PRT
Feature: Joining through a token that does not exist or has expired

  The first thing the server does with a ClientInit is look up the token it
  names. A token that does not exist and a token whose `metadata.expires` has
  passed are indistinguishable to the client: both are refused with
  `token expired or not found`, before the server sends its ServerInit, so a
  caller cannot probe which token names exist. Expiry is judged on the
  server's clock and applies to every join through the token — including a
  bot that already holds valid certificates and only wants to renew them.

  Teleport reports this error as AccessDenied, which reaches the client as
  PERMISSION_DENIED. The failure is audited like any other failed join, but
  the event names no token: the server never found one.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  @BKP-PRT-011 @BKP-PRT-013 @BKP-PRT-026
  Scenario: A token that does not exist is refused before the ServerInit
    When "alice" joins with token "no-such-token"
    Then the join fails with PERMISSION_DENIED "token expired or not found"
    And no ServerInit was sent
    And nothing changed on the server
    And the audit log shows a failed "bot.join" event saying "token expired or not found"

  @BKP-PRT-012 @BKP-PRT-013 @BKP-PRT-026
  Scenario: A token whose expiry lies in the past is refused like a missing one
    Given a bound keypair token "old-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | metadata.expires              | <now - 1m>              |
    When "alice" joins with token "old-token"
    Then the join fails with PERMISSION_DENIED "token expired or not found"
    And no ServerInit was sent
    And nothing changed on the server
    And the audit log shows a failed "bot.join" event saying "token expired or not found"

  # The bot's certificates from the first join are valid for an hour; the
  # token expires five minutes after it was created. Once the server's clock
  # passes the token's expiry, the bot's renewal is refused although its
  # certificate is still valid. Needs a server whose clock the suite can move
  # (capability clock_control).
  @BKP-PRT-012 @BKP-PRT-013
  Scenario: A token that expires while in use refuses the next join, a renewal with valid certificates included
    Given a bound keypair token "short-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | metadata.expires              | <now + 5m>              |
    And "alice" has completed a join with token "short-token"
    When the expiry time of token "short-token" passes on the server clock
    And "alice" joins with token "short-token"
    Then the join fails with PERMISSION_DENIED "token expired or not found"
    And no ServerInit was sent
    And nothing changed on the server
    And the audit log shows a failed "bot.join" event saying "token expired or not found"
