@ONB
Feature: Onboarding with a pre-registered public key

  A bound keypair token starts with no key bound to it. The first successful
  join — onboarding — binds one. The simplest way: the administrator writes
  the bot's public key into the token (spec.bound_keypair.onboarding.
  initial_public_key), and the bot proves it holds the matching private key by
  signing a challenge. Onboarding counts as one recovery, starts a new bot
  instance, and returns certificates plus a signed join state that the bot
  must present on its next join.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |

  @BKP-ONB-001
  Scenario: A bot onboards by signing a challenge with its pre-registered key
    When "alice" joins with token "robot-token"
    Then the join succeeds
    And the server sent 1 challenge and 0 rotation requests
    And the server challenged the public key of "alice"
    And the token "robot-token" has:
      | bound_public_key    | <public key of "alice"> |
      | recovery_count      | 1                       |
      | last_recovered_at   | <now>                   |
      | registration_secret | <unset>                 |
      | last_rotated_at     | <unset>                 |
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the audit log has a successful "join_token.bound_keypair.recovery" event for token "robot-token"

  @BKP-ONB-002
  Scenario: Onboarding returns certificates and a join state for the new bot instance
    When "alice" joins with token "robot-token"
    Then the join succeeds
    And "alice" received a certificate for bot "robot" issued by the cluster
    And the certificate names the bot instance bound to token "robot-token" at generation 1
    And the result names the public key of "alice" as the bound key
    And the returned join state is signed by the cluster's bound_keypair CA with claims:
      | iss               | <cluster name>                       |
      | aud               | <cluster name>                       |
      | sub               | robot                                |
      | bot_instance_id   | <bound bot instance of "robot-token"> |
      | recovery_sequence | 1                                    |

  @BKP-ONB-003
  Scenario: A client holding a different key cannot onboard, and nothing changes
    Given a bot client "mallory" with an Ed25519 keypair
    When "mallory" joins with token "robot-token"
    Then the join fails with PERMISSION_DENIED "failed to complete challenge"
    And nothing changed on the server
    And the audit log has a failed "join_token.bound_keypair.recovery" event for token "robot-token"
    And the audit log has a failed "bot.join" event for token "robot-token"
