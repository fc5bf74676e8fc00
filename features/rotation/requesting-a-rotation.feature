@ROT @needs-rotation-request @needs-renewal
Feature: An operator requests a keypair rotation (W-5)

  The operator's tool for a new keypair is one command:

    tctl bound-keypair request-rotation <token>

  (some documentation calls it `tctl bound-keypair rotate`). It sets
  spec.bound_keypair.rotate_after to the cluster's current time and touches
  nothing else — in particular not the token's status, which only joins
  write. Teleport prints "Token rotation flag has been set, rotation will be
  required during the next authentication attempt." The suite sends the
  same request through the control API (POST tokens/{name}/rotation-request).

  What the operator then sees (client notes W-5): at the bot's next
  renewal — within its renewal interval, or at once after a restart — the
  server asks the bot for a new key, and status.bound_keypair shows the new
  bound_public_key and a last_rotated_at of that renewal's time. The bot
  keeps running as the same bot instance. Later renewals leave the key
  alone, until the operator requests another rotation.

  Each successful rotation is audited as a BoundKeypairRotation event
  (join_token.bound_keypair.rotation) naming the token, the bot, the key
  it replaced and the new key.

  # Client-side effects of W-5 — tbot replacing id_bkp and keeping the old
  # key in its history — are client duties (CRT area). The suite's bot does
  # the same between joins.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 1                       |
    And "alice" joins with token "robot-token"
    And the join succeeds

  Rule: the request sets rotate_after to the server's time and nothing else

    @BKP-ROT-021
    Scenario: Requesting a rotation sets rotate_after to now and leaves the status alone
      When the admin requests a keypair rotation for token "robot-token"
      Then the request succeeds
      And the token "robot-token" has:
        | spec.bound_keypair.rotate_after | <now>                   |
        | bound_public_key                | <public key of "alice"> |
        | last_rotated_at                 | <unset>                 |
      And the status of token "robot-token" is as it was before the request
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request

    # The request needs no rotation to have happened before, and overrides
    # any rotate_after the administrator wrote earlier, even one far ahead.
    @BKP-ROT-021
    Scenario: A request replaces a rotate_after set for later
      Given the admin edits token "robot-token", setting rotate_after to 2099-01-01T00:00:00Z
      When the admin requests a keypair rotation for token "robot-token"
      Then the request succeeds
      And the token "robot-token" has:
        | spec.bound_keypair.rotate_after | <now> |
      And the status of token "robot-token" is as it was before the request
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request

  Rule: the story of one bot and two rotations

    # The whole of W-5 as an operator lives it. The bot renews hourly with
    # its key K1. The operator requests a rotation; the next renewal rotates
    # to K2 and the bot carries on as the same bot instance. Renewals after
    # that leave K2 alone — also ten minutes later. A second request, at a
    # later time than the first rotation, rotates once more, to K3.
    @BKP-ROT-022 @BKP-ROT-019 @BKP-ROT-017 @needs-clock-control
    Scenario: An operator's rotation requests rotate the bot's key at its next renewal, once each
      Given the key "alice" holds now is called "K1"
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the server sent 1 challenge and 0 rotation requests

      # The operator asks for a new key.
      When the admin requests a keypair rotation for token "robot-token"
      Then the request succeeds
      And the status of token "robot-token" is as it was before the request

      # The bot's next renewal rotates K1 to K2.
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the keypair rotation replaced the key called "K1" with a new key of "alice", now called "K2"
      And the token "robot-token" has:
        | last_rotated_at | <now> |
        | recovery_count  | 1     |
      And the keypair rotation kept token "robot-token" bound to the same bot instance
      And the certificate names the bot instance bound to token "robot-token" at generation 3
      And the keypair rotation audit event of the join succeeded for token "robot-token" of bot "robot", from the key called "K1" to the key called "K2"

      # Renewals go on with K2, and do not rotate again.
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the token "robot-token" is bound to the key called "K2"
      Given 10 minutes pass on the server's clock
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the token "robot-token" is bound to the key called "K2"
      And the audit log has no "join_token.bound_keypair.rotation" event for token "robot-token"

      # A second request, later than the first rotation, rotates once more.
      When the admin requests a keypair rotation for token "robot-token"
      Then the request succeeds
      And the status of token "robot-token" is as it was before the request
      And the token "robot-token" has:
        | spec.bound_keypair.rotate_after | <now>         |
        | last_rotated_at                 | <now - 10m>   |
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the keypair rotation replaced the key called "K2" with a new key of "alice", now called "K3"
      And the token "robot-token" has:
        | last_rotated_at | <now> |
        | recovery_count  | 1     |
      And the keypair rotation kept token "robot-token" bound to the same bot instance
      And the keypair rotation audit event of the join succeeded for token "robot-token" of bot "robot", from the key called "K2" to the key called "K3"
      And 1 bot instance exists for bot "robot"
      And the certificate names the bot instance bound to token "robot-token" at generation 6
