@client @needs-clock-control @needs-bot-reload-signal @needs-bot-tbot-layout
Feature: Onboarding a bot, both ways, and its first renewal

  Two stories told end to end, as an operator would watch them.

  With a registration secret (client notes W-1): the admin creates a
  bound keypair token and reads the secret Teleport generated for it. On
  the bot's host, tbot is started with that secret. It has no key yet, so
  the server asks it for one (a rotation request), challenges the new key,
  and binds it: recovery_count becomes 1, the secret is used up. Twenty
  minutes later the bot renews — with its certificate and its join state,
  and without the secret, which it never sends again.

  With a pre-registered key (W-2): on the bot's host, `tbot keypair create`
  writes a keypair into the bot's storage and prints the public key; the
  admin puts that key into a token, and tbot is started without a secret.
  The server challenges the printed key, and binds it.

  @BKP-CLI-042 @BKP-CLI-001 @BKP-STO-001 @needs-bot-registration-secret-env
  Scenario: W-1 — the bot onboards with the token's registration secret, then renews without it
    Given a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |
    When the bot starts as a daemon with the registration secret of token "robot-token" in the environment
    Then the daemon's renewal through token "robot-token" succeeds within 30 seconds
    And the last join through token "robot-token" sent the registration secret
    And the last join through token "robot-token" had 1 challenge and 1 rotation request
    And the token "robot-token" has:
      | recovery_count      | 1       |
      | registration_secret | <unset> |
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the bot's active key is the key bound to token "robot-token"
    And the bot's storage holds:
      | file                 | mode |
      | id_bkp               | 0600 |
      | id_bkp.pub           | 0600 |
      | bkp_state            | 0600 |
      | bkp_key_history.json | 0600 |
    # The routine renewal, twenty minutes later.
    When 20 minutes pass on the server's clock
    And the daemon renews now
    Then the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" sent no registration secret
    And the last join through token "robot-token" sent, byte for byte, the join state the join before it returned
    And the last join through token "robot-token" had 1 challenge and 0 rotation requests
    And the token "robot-token" has:
      | recovery_count | 1 |
    And 1 bot instance exists for bot "robot"

  @BKP-CLI-044 @BKP-STO-001 @BKP-CLI-022
  Scenario: W-2 — the admin registers the key the bot printed; the bot onboards with it, then renews
    Given the bot has created a keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key printed by the bot> |
      | recovery.mode                 | standard                        |
      | recovery.limit                | 1                               |
    When the bot starts as a daemon with token "robot-token"
    Then the daemon's renewal through token "robot-token" succeeds within 30 seconds
    And the last join through token "robot-token" sent no registration secret
    And the last join through token "robot-token" had 1 challenge and 0 rotation requests
    And the token "robot-token" has:
      | recovery_count   | 1                               |
      | bound_public_key | <public key printed by the bot> |
    And the bot's active key is the public key printed by the bot
    And the bot's storage holds:
      | file                 | mode |
      | id_bkp               | 0600 |
      | id_bkp.pub           | 0600 |
      | bkp_state            | 0600 |
      | bkp_key_history.json | 0600 |
    When 20 minutes pass on the server's clock
    And the daemon renews now
    Then the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" sent, byte for byte, the join state the join before it returned
    And the token "robot-token" has:
      | recovery_count | 1 |
    And 1 bot instance exists for bot "robot"
