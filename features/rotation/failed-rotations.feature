@ROT @needs-rotation-request @needs-renewal
Feature: A rotation that fails changes nothing, and is asked for again

  A bot can fail a rotation in every way a client can: it has no way to make
  a key and gives up (Teleport's rotation-failure test), it sends some other
  message, it offers an empty or unreadable key, or it cannot sign for the
  key it offered. The server ends the join with an error at that point:

    gives up, sends another message   `requesting a new public key`
    an empty or unparseable key       `requesting a new public key`, or
                                      `parsing bound public key` when the
                                      server parses the key only to
                                      challenge it — no challenge is sent
                                      for such a key either way
    a wrong answer to the new key's   `solving challenge for new public key`
    challenge                         and `validating challenge response`

  and commits nothing: the old key stays bound, last_rotated_at, the
  recovery count and the bound bot instance stay as they were, no bot
  instance is created and the generation counter does not move. Because
  nothing changed, the rotation is still due: the bot's next join is
  challenged for the old key and asked for a new one again (server §6
  failure handling). Each failure is audited as a failed
  BoundKeypairRotation event naming the bound key; it names no new key,
  since none was obtained or proven. (A key refused because it is the key
  already bound was obtained and proven, and the event names it:
  the-exchange.feature.)

  # These joins are renewals and recoveries of a bot that onboarded with a
  # pre-registered key and renewed once (generation 2), after the
  # administrator requested a rotation. A recovery that fails its rotation
  # shows the single commit at work: the recovery itself passed every check
  # and would count, but nothing of it is written.
  #
  # Teleport emits the recovery audit event before the rotation step, so a
  # recovery whose rotation then fails may leave a "successful" recovery
  # event behind (server §10). The suite does not check recovery events
  # here.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 3                       |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And "alice" renews with token "robot-token"
    And the join succeeds
    And the admin requests a keypair rotation for token "robot-token"
    And the request succeeds

  Rule: a failed rotation ends the join, commits nothing, and leaves the rotation due

    @BKP-ROT-016 @BKP-ROT-020
    Scenario Outline: A bot that, asked to rotate its key, <fails> (<join>)
      When "alice" <join> with token "robot-token" and, asked to rotate its key, <fails>
      Then the keypair rotation fails with an error saying <error>
      And the server sent <challenges> challenges and 1 rotation request
      And nothing changed on the server
      And the token "robot-token" has:
        | bound_public_key | <public key of "alice"> |
        | last_rotated_at  | <unset>                 |
        | recovery_count   | 1                       |
      And 1 bot instance exists for bot "robot"
      And the keypair rotation audit event of the join failed for token "robot-token" of bot "robot", from the key bound before the join to no key
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      And the certificate names the bot instance bound to token "robot-token" at generation 3

      # Teleport's rotation-failure: the client cannot produce a key.
      @BKP-ROT-013 @BKP-ROT-016 @BKP-ROT-020
      Examples: the bot gives up, or answers with another message
        | join   | fails                                                  | error                         | challenges |
        | renews | gives up                                               | "requesting a new public key" | 1          |
        | renews | sends a challenge solution instead of its new key      | "requesting a new public key" | 1          |
        | renews | sends a second BoundKeypairInit instead of its new key | "requesting a new public key" | 1          |

      @BKP-ROT-015 @BKP-ROT-016 @BKP-ROT-020
      Examples: the bot offers no usable key
        | join   | fails                                   | error                                                        | challenges |
        | renews | offers an empty public key              | "requesting a new public key" or "parsing bound public key" | 1          |
        | renews | offers a public key that does not parse | "requesting a new public key" or "parsing bound public key" | 1          |

      @BKP-ROT-014 @BKP-ROT-016 @BKP-ROT-020
      Examples: the bot cannot sign for the key it offered
        | join   | fails                                                           | error                                                                       | challenges |
        | renews | offers a new key but answers its challenge with the old key     | "solving challenge for new public key" and "validating challenge response" | 2          |
        | renews | offers a new key but answers its challenge with a stranger's key | "solving challenge for new public key" and "validating challenge response" | 2          |

      # The same failures in a recovery: the recovery passed its key proof,
      # the limit, the lock check and the join state, yet neither the
      # recovery count, nor a new bot instance, nor the new key is written —
      # the recovery and the rotation share one commit. The bot still holds
      # its certificate, so its next join is a renewal.
      @BKP-ROT-005 @BKP-ROT-013 @BKP-ROT-014 @BKP-ROT-015 @BKP-ROT-016 @BKP-ROT-020 @needs-recovery
      Examples: in a recovery
        | join     | fails                                                       | error                                                                       | challenges |
        | recovers | gives up                                                    | "requesting a new public key"                                               | 1          |
        | recovers | sends a challenge solution instead of its new key           | "requesting a new public key"                                               | 1          |
        | recovers | offers a public key that does not parse                     | "requesting a new public key" or "parsing bound public key"                | 1          |
        | recovers | offers a new key but answers its challenge with the old key | "solving challenge for new public key" and "validating challenge response" | 2          |

    # The error for a message other than the rotation response names what
    # the server expected and what it got (server §6, lib/join stream
    # errors), wrapped in the rotation's context.
    @BKP-ROT-013
    Scenario: A challenge solution instead of the new key is refused as the wrong message
      When "alice" renews with token "robot-token" and, asked to rotate its key, sends a challenge solution instead of its new key
      Then the keypair rotation fails with an error saying "requesting a new public key" and "expected client to send message of type *messages.BoundKeypairRotationResponse"
      And nothing changed on the server

    # The catalogue fixes the status of the reused-key refusal only; the
    # rotation failures above may end with any error status. A give-up must
    # still carry the client's reason through.
    #
    # Teleport's rotation-failure counts the messages on the client's side;
    # here the server's own record of the attempt must agree.
    @BKP-ROT-013 @needs-join-attempts
    Scenario: A bot that gives up is told the server heard it give up
      When "alice" renews with token "robot-token" and, asked to rotate its key, gives up
      Then the keypair rotation fails with an error saying "requesting a new public key" and "client gave up on join attempt"
      And the server sent 1 challenge and 1 rotation request
      And the server recorded 1 challenge and 1 rotation request in the last join through token "robot-token"
