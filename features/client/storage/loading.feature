@client @STO @needs-bot-tbot-layout
Feature: How a bot reads its storage before it joins

  Before every join tbot loads its state from the storage (client notes
  §3.1, C-LD-1..5). Not every damaged item is fatal, and the rules say
  which:

    - no `id_bkp`, or an empty one, means "no state": with a registration
      secret the bot onboards with it; without one it stops before
      contacting the server and tells the operator how to get credentials;
    - no `bkp_state` is normal (a pre-registered key not yet used), but a
      `bkp_state` that exists and cannot be read is fatal;
    - an `id_bkp` that does not parse is fatal (`parsing private key`);
    - a key history that cannot be read or parsed only costs the history
      (a warning), and an empty history starts again with the active key;
    - a storage directory the bot cannot write to stops it before it
      contacts the server.

  Whatever stops the bot stops it before any join stream opens, and leaves
  the storage as it was.

  Rule: no key and no secret: nothing to join with

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | recovery.mode  | standard |
        | recovery.limit | 1        |

    @BKP-STO-017 @BKP-STO-008
    Scenario: With an empty storage and no secret, the bot stops before contacting the server
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's last run did not contact the server
      And the bot's storage holds no bound keypair item

    @BKP-STO-017 @BKP-STO-008
    Scenario Outline: With id_bkp <state> and no secret, the bot stops before contacting the server
      Given the bot has created a keypair
      And the bot's id_bkp is <state>
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's last run did not contact the server

      Examples:
        | state   |
        | missing |
        | empty   |

    @BKP-STO-018 @needs-bot-tbot-messages
    Scenario: The bot tells the operator how to get credentials
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's output says "Could not complete bound keypair joining as no local credentials are available and no registration secret was provided"

    @BKP-STO-008
    Scenario Outline: With id_bkp <state>, a registration secret onboards the bot
      Given the bot has created a keypair
      And the bot's id_bkp is <state>
      When the bot joins once with the registration secret of token "robot-token"
      Then the bot succeeds
      And the last join through token "robot-token" had 1 challenge and 1 rotation request
      And the bot's active key is the key bound to token "robot-token"

      Examples:
        | state   |
        | missing |
        | empty   |

  Rule: a damaged key or join state stops the bot; a damaged history does not

    Background:
      Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
        | recovery.limit | 2 |

    @BKP-STO-011
    Scenario: An id_bkp that does not parse stops the bot, and nothing in the storage changes
      Given the bot's id_bkp holds "-----BEGIN PRIVATE KEY-----MC4CAQAwBQYDK2VwBCIEIA==-----END PRIVATE KEY-----"
      And the bot's storage is noted
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's last run did not contact the server
      And the bot's storage is as noted

    @BKP-STO-012 @needs-bot-tbot-messages
    Scenario: The bot says it could not parse its private key
      Given the bot's id_bkp holds "garbage"
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's output says "parsing private key"

    @BKP-STO-010
    Scenario: A bkp_state that exists but cannot be read stops the bot
      Given the bot has joined once with token "robot-token"
      And the bot's bkp_state cannot be read
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's last run did not contact the server

    @BKP-STO-009
    Scenario: A missing bkp_state next to a valid id_bkp is not an error
      Given the bot's bkp_state is missing
      When the bot joins once with token "robot-token"
      Then the bot succeeds
      And the last join through token "robot-token" sent no previous join state

    @BKP-STO-013 @BKP-STO-015
    Scenario Outline: A key history that <problem> costs only the history: the bot joins and starts it again with its active key
      Given the bot's bkp_key_history.json <damage>
      When the bot joins once with token "robot-token"
      Then the bot succeeds
      And the bot's key history holds, newest first:
        | the active key |

      Examples:
        | problem              | damage                   |
        | does not parse       | holds "{not json"        |
        | has the wrong shape  | holds '{"keys": []}'     |
        | cannot be read       | cannot be read           |
        | is missing           | is missing               |

    @BKP-STO-014 @needs-bot-tbot-messages
    Scenario Outline: A key history that <problem> is reported with tbot's warning
      Given the bot's bkp_key_history.json <damage>
      When the bot joins once with token "robot-token"
      Then the bot succeeds
      And the bot's output says "<warning>"

      Examples:
        | problem        | damage            | warning                                                                                 |
        | does not parse | holds "{not json" | unable to parse key history, may be unable to recover in the event of a cluster rollback |
        | cannot be read | cannot be read    | unable to read key history                                                              |

  Rule: a storage the bot cannot write to stops it

    # Tests may run as root, which ignores modes: the step then makes the
    # directory immutable, or reports the scenario as not applicable.
    @BKP-RTY-012
    Scenario: A storage directory that cannot be written to stops the bot before it contacts the server
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the bot's storage is noted
      And the bot's storage directory cannot be written to
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's last run did not contact the server
      And the bot's storage is as noted

    @BKP-RTY-013 @needs-bot-tbot-messages
    Scenario: The bot says it cannot write to its storage
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the bot's storage directory cannot be written to
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's output says "Cannot write to destination"

  Rule: with capability exit-codes, a damaged state is a local state failure

    @BKP-RTY-017 @needs-bot-exit-codes
    Scenario Outline: <what> exits with the local_state code
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And <damage>
      When the bot joins once with token "robot-token"
      Then the bot fails with the local_state exit code

      Examples:
        | what                                  | damage                                       |
        | An id_bkp that does not parse         | the bot's id_bkp holds "garbage"             |
        | A storage that cannot be written to   | the bot's storage directory cannot be written to |
