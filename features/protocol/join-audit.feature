@PRT
Feature: Every join attempt is audited

  Whatever the join method, Teleport records every join attempt in its
  audit log: `bot.join` for bots, `instance.join` for agents, with a success
  or failure status and, for a failure, the error. This comes on top of the
  bound keypair events (recovery, rotation, join state verification) that
  other features check. Operators rely on the failures in particular: a
  stream of failed joins through one token is how a stolen or misconfigured
  bot shows up.

  The suite reads the audit log through the control API (`GET audit-events`,
  capability feature `audit-events`), looking only at events recorded since
  the join started.

  A failed event names the token when the server found it. Before that (an
  unknown token, a malformed ClientInit) it cannot, and when the role is not
  yet known Teleport records `instance.join`; the token-lookup and
  join-stream features check those cases.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bot client "mallory" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |

  Rule: every failed join leaves a failed join event with the error

    @BKP-PRT-026
    Scenario Outline: A join refused because <reason> is audited as a failed bot.join with the error
      Given a bound keypair token "spent-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 0                       |
      And a bound keypair token "bogus-mode-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | bogus                   |
      When "<client>" joins with token "<token>", signing the challenge with its own key
      Then the join fails with <status> "<error>"
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "<token>" saying "<error>"
      And that failed "bot.join" event names join method "bound_keypair" and bot "robot"

      Examples:
        | reason                           | client  | token            | status            | error                          |
        | the challenge was signed wrongly | mallory | robot-token      | PERMISSION_DENIED | failed to complete challenge   |
        | no recovery is left              | alice   | spent-token      | PERMISSION_DENIED | no recovery attempts remaining |
        | the recovery mode is unknown     | alice   | bogus-mode-token | INVALID_ARGUMENT  | invalid recovery mode: bogus   |

    @BKP-PRT-026
    Scenario: A join refused for asking the wrong join method is audited as a failed bot.join
      When "alice" joins with token "robot-token" requesting join method "token"
      Then the join fails with INVALID_ARGUMENT "client requested join method token"
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token" saying "client requested join method token"

    @BKP-PRT-026
    Scenario: A client that gives up is audited as a failed bot.join
      When a wire client opens a join stream with a ClientInit for token "robot-token"
      And the server answers the wire client with a ServerInit
      And the wire client gives up saying "out of ideas"
      Then the join is refused with an error status saying "client gave up on join attempt"
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token" saying "out of ideas"

  Rule: a successful join leaves a successful join event

    @BKP-PRT-027
    Scenario: A successful join is audited as a successful bot.join through bound_keypair
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the audit log has a successful "bot.join" event for token "robot-token"
      And that successful "bot.join" event names join method "bound_keypair" and bot "robot"
      And the audit log has no failed "bot.join" event since the join started

    # Teleport attaches the join attributes of the bound keypair join
    # (public_key, recovery_count, recovery_mode) to the join event; the
    # control API flattens them into the event's fields. Known gap in the
    # reference server: its bot.join events carry none of them. Tagged
    # until it is fixed.
    @BKP-PRT-027
    Scenario: The successful bot.join event carries the bound keypair join attributes
      Given a bound keypair token "counted-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 2                       |
        | recovery.mode                 | standard                |
      When "alice" joins with token "counted-token"
      Then the join succeeds
      And that successful "bot.join" event carries the bound key, recovery count and recovery mode of token "counted-token"

  # BKP-PRT-028 (MAY): Teleport also serves the ceremony for bots through the
  # legacy RPC RegisterUsingBoundKeypairMethod, scheduled for removal in v20.
  # The reference server does not offer it and the control API has no
  # capability that announces it, so the suite has no scenario for it: a
  # server with or without the legacy RPC conforms equally.
