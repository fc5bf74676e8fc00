@client @STO @needs-bot-tbot-layout
Feature: What a bot keeps in its storage directory

  tbot keeps four bound keypair items in its storage directory (client
  notes §3.1), and an operator's scripts read them (`id_bkp.pub` to
  pre-register a key, W-14):

    id_bkp                the active private key, one PEM block
    id_bkp.pub            its public key, one authorized_keys line with a
                          trailing newline
    bkp_state             the join state the server returned last, exactly
                          as returned; absent until a join has succeeded
    bkp_key_history.json  {"entries":[{"time":…,"private_key":…}]}, the
                          keys the bot held, newest first (at most 10)

  Each is readable and writable by its owner only. The storage written by
  `keypair create` is the one `start` uses: they are interchangeable.

  These scenarios need a bot that declares tbot's layout (tbot-layout).

  @BKP-STO-001 @BKP-STO-006 @BKP-STO-005
  Scenario: After onboarding with a secret, the storage holds the four items, owner-only
    Given a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the bot's storage holds:
      | file                 | mode |
      | id_bkp               | 0600 |
      | id_bkp.pub           | 0600 |
      | bkp_state            | 0600 |
      | bkp_key_history.json | 0600 |
    And the bot's active key is the key bound to token "robot-token"
    And the bot's key history holds, newest first:
      | the active key |

  @BKP-STO-002 @BKP-STO-003 @BKP-STO-004
  Scenario: Each item holds what tbot writes there
    Given a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the bot's id_bkp holds one "PRIVATE KEY" PEM block
    And the bot's id_bkp.pub holds the active public key on one line ending in a newline
    And the bot's bkp_state holds, byte for byte, the join state the last join through token "robot-token" returned

  # Time passes between the joins, so the second join state differs from
  # the first (a join state records when it was issued).
  @BKP-STO-004 @BKP-CLI-020 @needs-bot-clock-file
  Scenario: Every successful join replaces bkp_state with the join state it returned
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"
    And 20 minutes pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the bot's bkp_state holds, byte for byte, the join state the last join through token "robot-token" returned

  # W-2: keypair create, then start with the same directory.
  @BKP-CLI-044 @BKP-STO-009 @BKP-STO-007
  Scenario: The storage keypair create wrote is the one start joins with
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot's storage holds:
      | file                 | mode |
      | id_bkp               | 0600 |
      | id_bkp.pub           | 0600 |
      | bkp_key_history.json | 0600 |
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" sent no registration secret
    And the last join through token "robot-token" sent no previous join state
    And the last join through token "robot-token" had 1 challenge and 0 rotation requests
    And the bot's active key is the public key printed by the bot
    And the bot's active key is the key bound to token "robot-token"
    And the bot's storage holds:
      | file                 | mode |
      | id_bkp               | 0600 |
      | id_bkp.pub           | 0600 |
      | bkp_state            | 0600 |
      | bkp_key_history.json | 0600 |

  # A rotation requested by the admin (W-5): the new key becomes active,
  # the previous one stays in the history behind it.
  @BKP-STO-003 @BKP-STO-004 @BKP-STO-005 @needs-rotation-request
  Scenario: After a rotation the items hold the new key, the new join state, and both keys in the history
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"
    And the admin requests a keypair rotation for token "robot-token"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" had 2 challenges and 1 rotation request
    And the bot's active key is the key bound to token "robot-token"
    And the bot's id_bkp.pub holds the active public key on one line ending in a newline
    And the bot's bkp_state holds, byte for byte, the join state the last join through token "robot-token" returned
    And the bot's key history holds, newest first:
      | the active key                  |
      | the public key printed by the bot |
    And the bot's storage holds:
      | file                 | mode |
      | id_bkp               | 0600 |
      | id_bkp.pub           | 0600 |
      | bkp_state            | 0600 |
      | bkp_key_history.json | 0600 |

  # A bot must never leave an item empty or cut short. tbot itself does not
  # promise this; the suite asks it as a SHOULD. Without a crash: an item
  # replaced by a sibling renamed over it is a new file; an item rewritten in
  # place is the same file, and a crash in the middle of the write would
  # leave it cut short.
  @BKP-STO-019 @needs-bot-clock-file
  Scenario: Each item a join changes is a new file, not the old file rewritten in place
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"
    And the files in the bot's storage are noted
    And 20 minutes pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And every bound keypair item the join changed is a new file, not the noted file rewritten in place

  # Killed at random moments of its joins (the report lists them).
  @BKP-STO-019 @needs-bot-clock-file
  Scenario: Killed with SIGKILL in the middle of its joins, the bot leaves every item whole
    Given the bot holds a keypair registered with token "ci-token" for bot "robot" with:
      | recovery.mode | insecure |
    When the bot recovers 5 times through token "ci-token", each time killed with SIGKILL at a random moment of its join
    Then every bound keypair item in the bot's storage is whole
    And 2 hours pass on the server's clock
    And the bot joins once with token "ci-token"
    And the bot succeeds
