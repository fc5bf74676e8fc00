@client @CRT @needs-transcripts
Feature: Onboarding with a registration secret is a rotation

  A bot that starts with an empty storage and a registration secret has no
  key for the server to challenge. The server therefore opens with a
  rotation request, exactly as in a rotation but without the challenge for
  an old key first (client notes §3.3): the bot makes a key of the type
  the announced suite calls for, answers with its public key, then answers
  the challenge for it. Only when the Result binds that key does the bot
  treat it as its active key (C-RT-2, C-RS-3).

  Background:
    Given a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |

  @BKP-CRT-002 @BKP-CLI-042 @needs-bot-tbot-layout
  Scenario: The bot answers the rotation request that opens the onboarding, then the challenge for its new key
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" sent the registration secret
    And the last join through token "robot-token" onboarded the bot with a new key, called "K1", asked for before any challenge
    And the token "robot-token" is bound to the bot key called "K1"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    And the bot's key history holds exactly the bot keys called "K1", newest first

  @BKP-CRT-001 @needs-suite-setting @needs-bot-tbot-layout
  Scenario Outline: Onboarding under suite <suite> makes an <type> key
    Given the admin switches the cluster's signature algorithm suite to "<suite>"
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the rotation request of the last join through token "robot-token" named suite "<suite>"
    And the key the bot offered in the last join through token "robot-token" is an <type> key
    And the bot answered the challenge for its new key in the last join through token "robot-token" with alg "<alg>"
    And the bot's active key is the key bound to token "robot-token"

    Examples:
      | suite       | type        | alg   |
      | legacy      | Ed25519     | EdDSA |
      | balanced-v1 | Ed25519     | EdDSA |
      | fips-v1     | ECDSA P-256 | ES256 |
      | hsm-v1      | Ed25519     | EdDSA |

  # C-RT-2: the key is on disk before the server hears of it, but it is not
  # the bot's active key until the Result confirms it. tbot writes an empty
  # id_bkp at this point; a bot may also write none.
  @BKP-CRT-003 @BKP-CRT-004 @needs-scripting @needs-bot-tbot-layout
  Scenario: While the server holds the onboarding after the rotation response, the new key is in the history but not active
    Given the server holds the next join through token "robot-token" after it receives *messages.BoundKeypairRotationResponse
    When the bot starts joining once with the registration secret of token "robot-token"
    And the server is holding a join through token "robot-token"
    Then the key the bot offered in the last join through token "robot-token" is called "K1"
    And the newest key in the bot's key history is the bot key called "K1"
    And the bot holds no active key yet
    And the status of token "robot-token" is as it was before the join
    When the server lets the held join through token "robot-token" carry on
    And the bot's join in the background has ended
    Then the bot succeeds
    And the token "robot-token" is bound to the bot key called "K1"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"

  # An onboarding with a registration secret killed before the server's
  # commit: the generated key is not an active key, the bot holds no join
  # state, so started again it sends the secret once more and onboards.
  @BKP-CRT-014 @needs-scripting @needs-bot-tbot-layout @needs-bot-registration-secret-env
  Scenario Outline: An onboarding killed <point> onboards when the bot is started again with its secret
    Given the server holds the next join through token "robot-token" <point>
    When the bot, started as a daemon with the registration secret of token "robot-token", is killed with SIGKILL while the server holds its join
    Then the key the bot offered in the last join through token "robot-token" is called "K-lost"
    And the status of token "robot-token" is as it was before the join
    And the bot holds no active key yet
    And the newest key in the bot's key history is the bot key called "K-lost"
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" sent the registration secret
    And the last join through token "robot-token" onboarded the bot with a new key, called "K1", asked for before any challenge
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    And the newest key in the bot's key history is the bot key called "K1"

    Examples:
      | point                                                          |
      | after it receives *messages.BoundKeypairRotationResponse       |
      | just before it sends *messages.BoundKeypairChallenge           |
      | after it receives *messages.BoundKeypairChallengeSolution      |
