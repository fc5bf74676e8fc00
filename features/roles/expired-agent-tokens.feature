@ROL
Feature: An expired token lets no agent through, renewals included

  A provision token may carry an expiry (metadata.expires). Once the
  server's clock has passed it, the token is gone as far as joining is
  concerned: the lookup — the first of the generic checks — answers `token
  expired or not found`, exactly as for a token that never existed, before
  any ServerInit (server §1.1, §2.2 step 2).

  That holds for agents as for bots (BKP-PRT-012), and for every kind of
  join: an agent's first join, its recovery, and its renewal with a host
  certificate that is itself still perfectly valid. Expiry is judged on the
  server's clock; the scenarios that let time pass need a server whose
  clock the suite can move (capability clock_control).

  Background:
    Given a bot client "node-1" with an Ed25519 keypair

  @BKP-ROL-009
  Scenario: An agent's first join through an expired token is refused like a missing token
    Given a bound keypair token "node-token" for agents with roles [Node] and:
      | onboarding.initial_public_key | <public key of "node-1"> |
      | metadata.expires              | <now - 1m>               |
    When "node-1" joins with token "node-token" as an agent
    Then the join fails with PERMISSION_DENIED "token expired or not found"
    And no ServerInit was sent
    And nothing changed on the server
    And the audit log shows a failed "instance.join" event saying "token expired or not found"

  # The agent's host certificate is valid for longer than the token: when
  # the token expires the certificate is still good, and still no use.
  @BKP-ROL-009 @needs-role-Instance @needs-clock-control
  Scenario Outline: A token that expires while an agent uses it refuses the agent's next <join>
    Given a bound keypair token "node-token" for agents with roles [Node] and:
      | onboarding.initial_public_key | <public key of "node-1"> |
      | recovery.mode                 | insecure                 |
      | metadata.expires              | <now + 5m>               |
    And "node-1" has completed a join with token "node-token" as an agent
    When the expiry time of token "node-token" passes on the server clock
    Then the agent certificate of "node-1" is still valid on the server's clock
    When "node-1" <joins> with token "node-token" as an agent
    Then the join fails with PERMISSION_DENIED "token expired or not found"
    And no ServerInit was sent
    And nothing changed on the server
    And the audit log shows a failed "instance.join" event saying "token expired or not found"

    Examples:
      | join                                   | joins    |
      | renewal, with a valid host certificate | renews   |
      | recovery                               | recovers |

  # One second before the expiry the same renewal goes through: it is the
  # expiry that refuses, not something else about the later join.
  @BKP-ROL-009 @needs-role-Instance @needs-clock-control
  Scenario: Just before the token expires the agent still renews
    Given a bound keypair token "node-token" for agents with roles [Node] and:
      | onboarding.initial_public_key | <public key of "node-1"> |
      | metadata.expires              | <now + 5m>               |
    And "node-1" has completed a join with token "node-token" as an agent
    And 299 seconds pass on the server's clock
    When "node-1" renews with token "node-token" as an agent
    Then the join succeeds
    And the agent kept the host ID bound to token "node-token"
