@client @CLI
Feature: A bot renews while its certificate is valid, and recovers once it is not

  After every successful join a bot keeps the certificate it was issued.
  Its next join presents that certificate over mutual TLS while it is still
  valid at the bot's clock: a renewal, which costs no recovery and keeps
  the bot instance (client notes §3.8 C-LC-1). Once the certificate has
  expired, or when it was issued through another token, the bot throws it
  away and joins without one: a recovery, which the server counts
  (`recovery_count` + 1) and answers with a new bot instance (C-LC-2).
  tbot warns when it discards an expired identity.

  Time passes on the server's virtual clock; the bot follows it through
  its clock file. Certificates live one hour (tbot's default TTL).

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 2        |
    And the bot has joined once with token "robot-token"

  @BKP-CLI-022 @BKP-CLI-020 @needs-bot-clock-file
  Scenario: Twenty minutes later the bot renews with its certificate; no recovery is counted
    Given 20 minutes pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" sent, byte for byte, the join state the join before it returned
    And the token "robot-token" has:
      | recovery_count | 1 |
    And 1 bot instance exists for bot "robot"

  @BKP-CLI-024 @needs-bot-clock-file @needs-recovery
  Scenario: Two hours later the certificate has expired: the bot recovers without it, and a recovery is counted
    Given 2 hours pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was not authenticated
    And the token "robot-token" has:
      | recovery_count    | 2     |
      | last_recovered_at | <now> |
    And 2 bot instances exist for bot "robot"

  @BKP-CLI-025 @needs-bot-clock-file @needs-bot-tbot-messages @needs-recovery
  Scenario: Discarding the expired certificate, the bot says so
    Given 2 hours pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the bot's output says "The bot identity appears to be expired and will not be used to authenticate the identity renewal"

  # After the recovery the bot holds a new certificate and renews with it.
  @BKP-CLI-022 @BKP-CLI-024 @needs-bot-clock-file @needs-recovery
  Scenario: After a recovery the bot renews with the new certificate
    Given 2 hours pass on the server's clock
    And the bot has joined once with token "robot-token"
    And 20 minutes pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was authenticated
    And the token "robot-token" has:
      | recovery_count | 2 |

  # The operator points the bot at a new token registering the same key.
  # The certificate is still valid, but it came through the old token.
  @BKP-CLI-023
  Scenario: Given another token, the bot does not present the certificate of the first
    Given a bound keypair token "second-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key printed by the bot> |
      | recovery.mode                 | standard                        |
      | recovery.limit                | 1                               |
    When the bot joins once with token "second-token"
    Then the bot succeeds
    And the last join through token "second-token" was not authenticated
    And the token "second-token" has:
      | recovery_count | 1 |
