@client @CLI @needs-scripting @needs-bot-clock-file
Feature: A bot keeps only what a well-formed result gives it

  A bot changes its state only from a result (client notes §3.7): it needs
  the result's bound keypair part (the new join state and the key the
  server bound), it makes that key its active key only if it holds it (as
  its active key or in its history), and only then stores the new join
  state and identity. A result without that part, or naming a key the bot
  never held, fails the join and leaves everything as it was (C-RS-1,
  C-RS-2). So does any message a bot may not receive after its
  `BoundKeypairInit` (§3.3 step 4).

  An honest server never sends such results; the suite's server does it on
  purpose (scripted mode, fault action `tamper`). The server has already
  committed the join when it sends a result, so the token shows the join
  the bot refused.

  # Time passes after the first join, so the refused result's join state
  # differs from the one the bot holds.
  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.limit | 2 |
    And the bot has joined once with token "robot-token"
    And 20 minutes pass on the server's clock

  Scenario Outline: Sent <what>, the bot fails the join
    Given the server sends the next join through token "robot-token" <what>
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the last join through token "robot-token" met a scripted fault

    @BKP-CLI-015
    Examples: no bound keypair data
      | what                                         |
      | a BotResult without its bound keypair part   |

    @BKP-CLI-017
    Examples: an unknown key
      | what                                         |
      | a BotResult naming a key the bot never held  |

    @BKP-CLI-009
    Examples: an unexpected message
      | what                                         |
      | a ServerInit instead of its challenge        |

  @needs-bot-tbot-layout
  Scenario Outline: Sent <what>, the bot changes nothing in its storage
    Given the bot's storage is noted
    And the server sends the next join through token "robot-token" <what>
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the bot's storage is as noted

    @BKP-CLI-015
    Examples: no bound keypair data
      | what                                         |
      | a BotResult without its bound keypair part   |

    @BKP-CLI-017
    Examples: an unknown key
      | what                                         |
      | a BotResult naming a key the bot never held  |

    @BKP-CLI-009
    Examples: an unexpected message
      | what                                         |
      | a ServerInit instead of its challenge        |

  @needs-bot-tbot-messages
  Scenario Outline: Sent <what>, the bot says what was wrong
    Given the server sends the next join through token "robot-token" <what>
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the bot's output says "<text>"

    @BKP-CLI-016
    Examples: no bound keypair data
      | what                                         | text                                                 |
      | a BotResult without its bound keypair part   | register result is missing bound keypair parameters |

    @BKP-CLI-018
    Examples: an unknown key
      | what                                         | text                                                 |
      | a BotResult naming a key the bot never held  | no matching key found                                |

    @BKP-CLI-010
    Examples: an unexpected message
      | what                                         | text                                                 |
      | a ServerInit instead of its challenge        | server sent unexpected message type                  |
