@GEN @needs-generation-counter
Feature: Every bot certificate carries a generation

  Each bot instance counts its certificates. Onboarding and every recovery
  start a new bot instance whose first certificate has generation 1. Each
  renewal must present the certificate of the instance's current
  generation and receives the next one: 2, 3, … The bot instance record
  stores the generation of the latest certificate it was issued
  (server §8).

  Bot instance records are the cluster's memory of a bot: which instance
  replaced which (previous_instance_id, taken from the verified join state
  at a recovery), and the instance's first and latest authentications.

  Background:
    Given a bot client "alice" with an ECDSA P-256 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 5                       |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And the certificate names the bot instance bound to token "robot-token" at generation 1

  Rule: each renewal moves the generation on by one, under one bot instance

    @BKP-GEN-002
    Scenario: Ten renewals take a bot instance from generation 1 to generation 11
      When "alice" renews its certificate with token "robot-token" 10 times in a row
      Then those renewals carried generations 2 to 11, all for the bot instance bound to token "robot-token"
      And the certificate names the bot instance bound to token "robot-token" at generation 11
      And the generation counter of the bot instance bound to token "robot-token" stands at 11
      And 1 bot instance exists for bot "robot"

  Rule: a recovery starts a new bot instance at generation 1

    # Whatever generation the replaced instance had reached, the new one
    # starts from 1, and the old record keeps its own count.
    @BKP-GEN-001
    Scenario: After a recovery the generations start again from 1
      Given "alice" renews its certificate with token "robot-token" 3 times in a row
      And the generation counter of the bot instance bound to token "robot-token" stands at 4
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the certificate names the bot instance bound to token "robot-token" at generation 1
      And the generation counter of the bot instance bound to token "robot-token" stands at 1
      And the generation counter of the bot instance that token "robot-token" was bound to before the last join still stands at 4
      When "alice" renews its certificate with token "robot-token" 2 times in a row
      Then those renewals carried generations 2 to 3, all for the bot instance bound to token "robot-token"
      And 2 bot instances exist for bot "robot"

  Rule: bot instance records link each instance to the one it replaced

    # Each recovery presents the join state of the previous join, which the
    # server verifies (standard mode); the instance named in it becomes the
    # new instance's previous_instance_id.
    @BKP-GEN-010
    Scenario Outline: A bot onboarded and recovered <recoveries> times leaves a lineage of <instances> bot instances
      Given "alice" has recovered <recoveries> times with token "robot-token"
      Then the bot instances of bot "robot" form one lineage of <instances>, the first with no previous instance and each later one naming the instance it replaced
      And the token "robot-token" has:
        | recovery_count | <instances> |

      Examples:
        | recoveries | instances |
        | 1          | 2         |
        | 3          | 4         |

  Rule: a bot instance record remembers its first and its latest authentications

    # The control API contract keeps the latest 10 authentications, newest
    # last (Teleport's own cap is not in the notes). The first one is kept
    # apart, whatever happens after it.
    @BKP-GEN-011
    Scenario: After onboarding and twelve renewals the record shows generation 1 and the latest ten
      When "alice" renews its certificate with token "robot-token" 12 times in a row
      Then the bot instance bound to token "robot-token" remembers its first authentication at generation 1 and its latest 10 authentications, generations 4 to 13, newest last
