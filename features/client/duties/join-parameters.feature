@client @CLI
Feature: What a bot sends when it joins

  A bot joins over one `teleport.join.v1` stream. It names its token and
  asks for system role `Bot` in `ClientInit`, waits for the server's
  `ServerInit`, and then sends one `BoundKeypairInit` with three things
  (client notes §3.2):

    - the registration secret, but only while it holds no join state:
      once a join has succeeded the secret is never sent again, even if
      the operator leaves it in the bot's configuration (C-JP-1);
    - the join state the server returned last time, exactly as it was
      returned, or nothing on the first join (C-JP-2);
    - the public keys it wants certificates for: a keypair it generates
      afresh for every join, never the bound keypair itself (C-JP-4).

  Then it answers what the server asks, one answer per question, until the
  result arrives. Everything here is read from the server's transcripts:
  what crossed the wire, not what the bot says it sent.

  @BKP-CLI-003 @BKP-CLI-007 @BKP-CLI-008
  Scenario: A first join with a pre-registered key: ClientInit for the token and role Bot, one BoundKeypairInit, one answer per challenge
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" asked for system role "Bot" with join method "bound_keypair" or none
    And the messages of the last join through token "robot-token" were: ClientInit, ServerInit, BoundKeypairInit, BoundKeypairChallenge, BoundKeypairChallengeSolution, BotResult

  @BKP-CLI-007 @BKP-CLI-008 @BKP-CLI-042
  Scenario: A first join with a registration secret: the bot answers the rotation request, then the challenge for its new key
    Given a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the messages of the last join through token "robot-token" were: ClientInit, ServerInit, BoundKeypairInit, BoundKeypairRotationRequest, BoundKeypairRotationResponse, BoundKeypairChallenge, BoundKeypairChallengeSolution, BotResult
    And every challenge in the last join through token "robot-token" named the key bound to the token

  @BKP-CLI-001 @BKP-CLI-002 @needs-bot-clock-file
  Scenario: The secret is sent only on the first join, the join state on every join after it
    Given a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" sent the registration secret
    And the last join through token "robot-token" sent no previous join state
    # The operator leaves the secret in the bot's configuration. Time passes
    # between joins, so each join state differs from the one before.
    When 20 minutes pass on the server's clock
    And the bot joins once with token "robot-token" and the same registration secret
    Then the bot succeeds
    And the last join through token "robot-token" sent no registration secret
    And the last join through token "robot-token" sent, byte for byte, the join state the join before it returned
    When 20 minutes pass on the server's clock
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" sent, byte for byte, the join state the join before it returned

  @BKP-CLI-004
  Scenario: Every join asks for certificates for a fresh subject key, never for the bound key
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last two joins through token "robot-token" asked for certificates for two different subject keys, neither of them the bound key

  # The bot learns the suite from ServerInit, so the subject key follows
  # the suite in force at join time (tbot's purpose HostIdentity).
  @BKP-CLI-005
  Scenario Outline: Under <suite> the bot asks for certificates for an <type> subject key
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the cluster runs with signature algorithm suite "<suite>"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" asked for certificates for an <type> subject key

    Examples:
      | suite       | type        |
      | legacy      | RSA         |
      | balanced-v1 | ECDSA P-256 |
      | fips-v1     | ECDSA P-256 |
      | hsm-v1      | ECDSA P-256 |

  # The bot's clock is the server's, through the clock file.
  @BKP-CLI-006 @needs-bot-clock-file
  Scenario: The bot asks for certificates that expire one certificate TTL from now
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And 3 hours pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" asked for certificates expiring one certificate TTL after the server's clock
