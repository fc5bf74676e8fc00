@client @CLI
Feature: Where a bot takes its registration secret from

  An operator onboarding with a registration secret (W-1) reads it from the
  token's status and gives it to the bot in one of three ways (client
  notes §4.3, §4.4):

    - as a value: `--registration-secret` or `registration_secret` in
      tbot.yaml;
    - as a file: `--registration-secret-path` or `registration_secret_path`;
      the bot uses the file's contents with surrounding whitespace removed,
      so a file written by `echo` (with its trailing newline) works;
    - in the environment: `TBOT_REGISTRATION_SECRET`, used only when
      neither of the others is configured. When one is, it wins, and tbot
      warns that the configuration overrides the environment.

  In every case a bot with an empty storage sends the secret, is asked for
  a new key, makes one, proves it, and keeps it as its active key.

  Background:
    Given a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |

  @BKP-CLI-042 @needs-bot-tbot-layout
  Scenario: With the secret as a value, the bot onboards and keeps the key it made as its active key
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" sent the registration secret
    And the last join through token "robot-token" had 1 challenge and 1 rotation request
    And the bot's active key is the key bound to token "robot-token"
    And the token "robot-token" has:
      | registration_secret | <unset> |
      | recovery_count      | 1       |

  @BKP-CLI-043 @needs-bot-tbot-messages
  Scenario: A bot with no state says it will use the secret
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the bot's output says "No existing client state found, will attempt to join with provided registration secret"

  @BKP-CLI-037
  Scenario Outline: A secret file is read with surrounding whitespace removed (<how>)
    When the bot joins once with the registration secret of token "robot-token" <how>
    Then the bot succeeds
    And the last join through token "robot-token" sent the registration secret
    And the token "robot-token" has:
      | recovery_count | 1 |

    Examples:
      | how                                  |
      | in a file                            |
      | in a file, surrounded by whitespace  |

  @BKP-CLI-038 @needs-bot-registration-secret-env
  Scenario: With nothing configured, the bot takes the secret from TBOT_REGISTRATION_SECRET
    When the bot joins once with the registration secret of token "robot-token" in the environment
    Then the bot succeeds
    And the last join through token "robot-token" sent the registration secret
    And the token "robot-token" has:
      | recovery_count | 1 |

  # The environment holds a wrong secret: if the bot used it, the server
  # would refuse the join with `a valid registration secret is required`.
  @BKP-CLI-039 @needs-bot-registration-secret-env
  Scenario Outline: A secret configured <how> wins over TBOT_REGISTRATION_SECRET
    Given the bot's environment has TBOT_REGISTRATION_SECRET set to "not-the-secret-of-robot-token"
    When the bot joins once with <secret>
    Then the bot succeeds
    And the token "robot-token" has:
      | recovery_count | 1 |

    Examples:
      | how          | secret                                                  |
      | as a value   | the registration secret of token "robot-token"          |
      | as a file    | the registration secret of token "robot-token" in a file |

  @BKP-CLI-040 @needs-bot-registration-secret-env @needs-bot-tbot-messages
  Scenario Outline: The bot warns that <setting> overrides the environment
    Given the bot's environment has TBOT_REGISTRATION_SECRET set to "not-the-secret-of-robot-token"
    When the bot joins once with <secret>
    Then the bot succeeds
    And the bot's output says "'<setting>' in tbot's configuration will override the value set in the environment"

    Examples:
      | setting                  | secret                                                   |
      | registration_secret      | the registration secret of token "robot-token"           |
      | registration_secret_path | the registration secret of token "robot-token" in a file |
