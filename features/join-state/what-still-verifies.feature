@JST @needs-join-state @needs-renewal @needs-recovery
Feature: What a join state survives

  A join state is not a session ticket. It does not expire, it is not
  consumed by use, and it does not care about the token's settings. It goes
  stale for one reason only: the token counted a recovery (or an onboarding)
  after it was issued, which gives the token a new recovery_count and a new
  bot instance. Everything else leaves it valid:

    - renewals: each returns a fresh join state with the same
      recovery_sequence and bot instance, so the one from before the
      renewals is still as good (a bot restored from a slightly older disk
      snapshot keeps working);
    - time: the document has no `exp`, so a bot that was switched off for a
      month recovers with the join state it had;
    - the token's recovery.limit and recovery.mode: the join state records
      them for the bot's information, but the server never compares them;
    - a rotation of the cluster's bound_keypair CA: the server verifies with
      whichever trusted CA key the document's `kid` names, and signs new
      join states with the new key.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 5                       |
      | recovery.mode                 | standard                |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And "alice" keeps a copy of its join state as "after onboarding"

  Rule: The join state a join returns verifies on the next join, and renewals do not make older ones stale

    # The bot sends back, byte for byte, the join state its previous join
    # returned — renewal after renewal, across a recovery.
    @BKP-JST-019
    Scenario: Every join accepts the join state the previous join returned
      When "alice" renews with token "robot-token"
      Then the join succeeds
      When "alice" renews with token "robot-token"
      Then the join succeeds
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | sub               | robot                                 |
        | recovery_sequence | 2                                     |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 2                                     |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
      And exactly 0 locks target join token "robot-token"

    @BKP-JST-020
    Scenario: A join state from before several renewals still verifies, for a renewal and for a recovery
      When "alice" renews with token "robot-token"
      And "alice" renews with token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 1                                     |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
      Given the join state "alice" holds is replaced by its copy "after onboarding"
      When "alice" renews with token "robot-token"
      Then the join succeeds
      Given the join state "alice" holds is replaced by its copy "after onboarding"
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      And exactly 0 locks target join token "robot-token"

  Rule: The recovery limit and mode a join state records are for information only

    # The bot's join state says recovery_limit 5 and recovery_mode
    # "standard"; the admin then changes the token (W-3, W-4).
    @BKP-JST-017
    Scenario Outline: After the admin <change>, the join state issued before still verifies
      Given the admin edits token "robot-token", setting:
        | spec.bound_keypair.recovery.limit | <limit> |
        | spec.bound_keypair.recovery.mode  | <mode>  |
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 1       |
        | recovery_limit    | <limit> |
        | recovery_mode     | <mode>  |
      Given the join state "alice" holds is replaced by its copy "after onboarding"
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      And exactly 0 locks target join token "robot-token"

      @BKP-JST-017
      Examples:
        | change                                   | limit | mode     |
        | raises the recovery limit                | 9     | standard |
        | switches to relaxed mode                 | 5     | relaxed  |
        | raises the limit and switches to relaxed | 9     | relaxed  |

  Rule: A join state never expires

    # The bot was switched off for a month: its certificate expired long ago,
    # so it recovers, presenting the join state it was last given.
    @BKP-JST-018 @needs-clock-control
    Scenario: A bot recovers with a join state issued 30 days earlier
      When 30 days pass on the server's clock
      And "alice" joins with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And exactly 0 locks target join token "robot-token"

  Rule: Any trusted key of the bound_keypair CA verifies a join state

    # A Teleport CA rotation: the new key signs, the old one stays trusted
    # until the rotation completes. Through the control API's test hook.
    @BKP-JST-016 @needs-ca-rotation
    Scenario: Across a bound_keypair CA rotation, join states signed by the old key still verify and new ones are signed by the new key
      When the admin rotates the cluster's bound_keypair CA
      And the join state "alice" holds was signed by the CA before the rotation
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the returned join state is signed with the bound_keypair CA key that the rotation added
      When "alice" renews with token "robot-token"
      Then the join succeeds
      Given the join state "alice" holds is replaced by its copy "after onboarding"
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the returned join state is signed with the bound_keypair CA key that the rotation added
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 2                                     |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
      And exactly 0 locks target join token "robot-token"
