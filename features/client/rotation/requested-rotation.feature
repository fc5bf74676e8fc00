@client @CRT @needs-transcripts @needs-rotation-request
Feature: The bot rotates its keypair when the operator asks for it (W-5)

  An operator who wants a bot to change its keypair runs
  `tctl bound-keypair request-rotation <token>` (the suite sends the same
  request through the control API). Nothing happens on the bot's host at
  once: at the bot's next join, after it has answered the challenge for
  the key it holds (K1), the server sends a rotation request naming the
  cluster's signature algorithm suite. The bot makes a new key of the type
  that suite calls for, keeps it in its key history, answers with its
  public key, answers a second challenge with the new key, and once the
  Result binds the new key it makes it its active key: `id_bkp` and
  `id_bkp.pub` hold the new key, the old one stays only in
  `bkp_key_history.json` (client notes §3.6, §3.7).

  The exchange is read from the server's transcript, the keys from the
  bot's storage. Keys are called K1, K2, … in the order the bot held them.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"
    And the bot key bound to token "robot-token" is called "K1"

  @BKP-CRT-002 @BKP-CRT-006 @needs-bot-tbot-layout
  Scenario: The next join after a rotation request rotates the bot's key, and the bot keeps the old key in its history
    When the admin requests a keypair rotation for token "robot-token"
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" rotated the bot key called "K1" to a new key, called "K2"
    And the token "robot-token" is bound to the bot key called "K2"
    And the token "robot-token" has:
      | last_rotated_at | <now> |
      | recovery_count  | 1     |
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K2"
    And the bot's key history holds exactly the bot keys called "K2, K1", newest first
    And the bot's bkp_state holds, byte for byte, the join state the last join through token "robot-token" returned

  @BKP-CRT-006 @needs-bot-tbot-layout @needs-clock-control
  Scenario: Joins after the rotation use the new key and do not rotate again
    Given the admin requests a keypair rotation for token "robot-token"
    And the bot has joined once with token "robot-token"
    And the bot key bound to token "robot-token" is called "K2"
    And 10 minutes pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" had 1 challenge and 0 rotation requests
    And the last join through token "robot-token" challenged the bot key called "K2", and the bot answered with it
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K2"
    And the bot's key history holds exactly the bot keys called "K2, K1", newest first

  # C-RT-1: the key type follows the suite named in the rotation request,
  # not the type of the key being replaced; the JWS alg follows the key.
  # (An empty suite, which tbot treats as legacy, cannot be tested here:
  # the reference server always names the suite in force.)
  @BKP-CRT-001 @BKP-CLI-014 @needs-suite-setting @needs-bot-tbot-layout
  Scenario Outline: Under suite <suite> the bot rotates to an <type> key
    Given the admin switches the cluster's signature algorithm suite to "<suite>"
    When the admin requests a keypair rotation for token "robot-token"
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the rotation request of the last join through token "robot-token" named suite "<suite>"
    And the key the bot offered in the last join through token "robot-token" is an <type> key
    And the bot answered the challenge for its new key in the last join through token "robot-token" with alg "<alg>"
    And the bot's active key is the key bound to token "robot-token"
    And the bot's id_bkp holds one "PRIVATE KEY" PEM block

    Examples:
      | suite       | type        | alg   |
      | legacy      | Ed25519     | EdDSA |
      | balanced-v1 | Ed25519     | EdDSA |
      | fips-v1     | ECDSA P-256 | ES256 |
      | hsm-v1      | Ed25519     | EdDSA |

  @BKP-CRT-012 @BKP-CLI-021 @needs-bot-tbot-messages
  Scenario: The bot says that the server asked for a rotation, that it made a key, and that it set the new key active
    When the admin requests a keypair rotation for token "robot-token"
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the bot's output says "Server has requested keypair rotation"
    And the bot's output says "Generated new keypair"
    And the bot's output says "Set new active keypair"
