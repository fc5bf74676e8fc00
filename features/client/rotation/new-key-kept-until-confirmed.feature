@client @CRT @needs-transcripts @needs-scripting @needs-rotation-request @needs-bot-tbot-layout
Feature: A new key is stored before it is sent, and used only once the server confirms it

  During a rotation the bot holds two keys: the one the server has bound
  (K1) and the one it has just offered (K2). Two rules keep it from ever
  losing the key the server trusts (client notes §3.6 C-RT-2, §3.7):

    - K2 is written to the key history BEFORE the rotation response leaves
      the bot, so a crash right after cannot lose a key the server may
      bind;
    - K2 becomes the active key (id_bkp, id_bkp.pub) only when the Result
      says the server bound it. Until then K1 stays active, and if the
      join ends without a Result, K1 is still the key the server trusts.

  The suite checks both by making the reference server hold the join at
  each point of the exchange, or end it there. Every point before the
  server sends its Result is before its commit (the token still names K1);
  a hold just before the Result is after it (the token already names K2,
  but the bot has not heard so).

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"
    And the bot key bound to token "robot-token" is called "K1"
    And the admin requests a keypair rotation for token "robot-token"

  @BKP-CRT-003 @BKP-CRT-004
  Scenario Outline: Held <point>, the bot already keeps the new key in its history, and K1 is still its active key
    Given the server holds the next join through token "robot-token" <point>
    When the bot starts joining once with token "robot-token"
    And the server is holding a join through token "robot-token"
    Then the key the bot offered in the last join through token "robot-token" is called "K2"
    And the newest key in the bot's key history is the bot key called "K2"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    And the token "robot-token" is bound to the bot key called "<bound while held>"
    When the server lets the held join through token "robot-token" carry on
    And the bot's join in the background has ended
    Then the bot succeeds
    And the token "robot-token" is bound to the bot key called "K2"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K2"
    And the bot's key history holds exactly the bot keys called "K2, K1", newest first

    Examples:
      | point                                                                 | bound while held |
      | after it receives *messages.BoundKeypairRotationResponse              | K1               |
      | just before it sends the 2nd *messages.BoundKeypairChallenge          | K1               |
      | after it receives the 2nd *messages.BoundKeypairChallengeSolution     | K1               |
      | just before it sends *messages.BotResult                              | K2               |

  # The join ends before the server's commit: the server still trusts K1,
  # and so must the bot. Its next join is challenged for K1, answers with
  # it, and (rotate_after still being due) rotates once more, to K3.
  @BKP-CRT-004 @BKP-CRT-005 @BKP-CLI-027
  Scenario Outline: A rotation join that <ends> leaves K1 active, and the next join answers with K1
    Given the server <ends>
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the key the bot offered in the last join through token "robot-token" is called "K2"
    And the status of token "robot-token" is as it was before the join
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    And the newest key in the bot's key history is the bot key called "K2"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" rotated the bot key called "K1" to a new key, called "K3"
    And the token "robot-token" is bound to the bot key called "K3"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K3"
    And the bot's key history holds exactly the bot keys called "K3, K2, K1", newest first

    Examples:
      | ends                                                                                                                 |
      | drops the next join through token "robot-token" after it receives *messages.BoundKeypairRotationResponse             |
      | ends the next join through token "robot-token" with UNAVAILABLE "connection reset" just before it sends the 2nd *messages.BoundKeypairChallenge |
      | ends the next join through token "robot-token" with INTERNAL "storage failure" after it receives the 2nd *messages.BoundKeypairChallengeSolution |
      | ends the next join through token "robot-token" with PERMISSION_DENIED "public key may not be reused after rotation" after it receives *messages.BoundKeypairRotationResponse |

  # The Result is lost after the commit: the server has bound K2, the bot
  # never heard so. Its certificate cannot be used again (the server
  # advanced the bot instance's generation when it issued the lost one), so
  # the bot gets back in once the certificate has expired, with a recovery;
  # the server challenges K2, which the bot finds in its history.
  @BKP-CRT-015 @needs-clock-control @needs-bot-clock-file
  Scenario: When the Result is lost after the server bound K2, the bot keeps K2 and recovers with it
    Given the admin edits token "robot-token", setting:
      | spec.bound_keypair.recovery.limit | 2 |
    And the server ends the next join through token "robot-token" with UNAVAILABLE "connection reset" just before it sends *messages.BotResult
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the key the bot offered in the last join through token "robot-token" is called "K2"
    And the token "robot-token" is bound to the bot key called "K2"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    And the newest key in the bot's key history is the bot key called "K2"
    Given 2 hours pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was not authenticated
    And the last join through token "robot-token" challenged the bot key called "K2", and the bot answered with it
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K2"
    And the bot's key history holds exactly the bot keys called "K2, K1", newest first
