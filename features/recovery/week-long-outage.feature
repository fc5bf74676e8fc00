@REC
Feature: A week-long outage

  A story told end to end, as an operator would watch it.

  The robot's host runs tbot with a bound keypair token in `standard` mode.
  The operator gave it `limit: 2`: one recovery for onboarding, one spare
  for the next time the bot has to come back without certificates. While
  the host is up, tbot renews well within the certificate's one-hour
  lifetime: each renewal presents the current certificate, proves the key,
  and costs nothing.

  Then the host is switched off for a week. When it comes back, the
  certificate expired long ago, so tbot joins without one: a recovery. It
  proves the bound key, sends the join state it kept, and receives
  certificates for a new bot instance that remembers the old one. The spare
  recovery is gone (recovery_count 2 of 2). From then on the bot renews
  normally again; the next outage will need the operator (W-3).

  @BKP-REC-001 @BKP-REC-002 @BKP-REC-003 @BKP-REC-004 @BKP-REC-013 @BKP-REC-006 @needs-clock-control
  Scenario: The robot is offline for a week, comes back, recovers once, then renews
    Given a bot client "robot-host" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "robot-host"> |
      | recovery.mode                 | standard                     |
      | recovery.limit                | 2                            |
    And "robot-host" has completed a join with token "robot-token"
    # Routine renewals while the host is up: nothing is consumed.
    And 20 minutes pass on the server's clock
    And "robot-host" joins with token "robot-token"
    And the join succeeds
    And the certificate names the bot instance bound to token "robot-token" at generation 2
    And the token "robot-token" has:
      | recovery_count | 1 |

    # The outage.
    When 7 days pass on the server's clock
    And "robot-host" joins with token "robot-token"
    Then the join succeeds
    And the server sent 1 challenge and 0 rotation requests
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the certificate names the bot instance bound to token "robot-token" at generation 1
    And the recovered bot instance of token "robot-token" names, as its previous instance, the one in the join state "robot-host" presented
    And the token "robot-token" has:
      | recovery_count    | 2     |
      | last_recovered_at | <now> |
    And the join recorded one successful recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 2 and mode "standard"

    # Back to normal: the next join presents the new certificate.
    When 20 minutes pass on the server's clock
    And "robot-host" joins with token "robot-token"
    Then the join succeeds
    And the certificate names the bot instance bound to token "robot-token" at generation 2
    And the token "robot-token" has:
      | recovery_count | 2 |
    And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
    And 2 bot instances exist for bot "robot"

    # The budget is spent: the next outage ends at the limit.
    When 7 days pass on the server's clock
    And "robot-host" joins with token "robot-token"
    Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
    And nothing changed on the server
