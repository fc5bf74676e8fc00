@client @CRT @needs-transcripts @needs-scripting @needs-bot-tbot-layout
Feature: A bot killed in the middle of a rotation still joins when it is started again

  A bot host can lose power at any moment, also halfway through a
  rotation. Whatever the moment, the bot must come back on a key the
  server trusts: because it stores a new key before it offers it, and
  adopts it only once the server confirms it (client notes §3.6, §3.7),
  its storage always holds the key the server has bound, as its active key
  or in its history.

  The suite makes the reference server hold the bot's join at one point of
  the rotation, kills the bot there with SIGKILL (no chance to clean up),
  and starts it again with the same storage. The points:

    (a) after the server received the rotation response (the new key K2),
    (b) just before it sends the challenge for K2,
    (c) after it received the answer to that challenge,
    (d) just before it sends the Result — after its commit: the token is
        already bound to K2, the bot never hears so.

  At (a)–(c) nothing was committed: the server still trusts K1, and the
  bot's next join renews with K1 and, the rotation still being due,
  rotates again. At (d) the server trusts K2, which the bot has only in
  its history. Its certificate is then one generation behind the bot
  instance (the server advanced the generation when it issued the lost
  certificate), so a renewal with it is refused and locks the token — as
  Teleport does; no bot can avoid that. Once its certificate has expired,
  the bot recovers, answering the challenge for K2 from its history.

  (An onboarding killed halfway is in onboarding-is-a-rotation.feature.)

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 2        |
    And the bot has joined once with token "robot-token"
    And the bot key bound to token "robot-token" is called "K1"
    And the admin requests a keypair rotation for token "robot-token"

  @BKP-CRT-013 @needs-rotation-request
  Scenario Outline: Killed <point>, started again at once, the bot renews with K1 and rotates again
    Given the server holds the next join through token "robot-token" <point>
    When the bot, started as a daemon with token "robot-token", is killed with SIGKILL while the server holds its join
    Then the key the bot offered in the last join through token "robot-token" is called "K2"
    And the status of token "robot-token" is as it was before the join
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    And the newest key in the bot's key history is the bot key called "K2"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" rotated the bot key called "K1" to a new key, called "K3"
    And the bot's active key is the key bound to token "robot-token"
    And the bot's key history holds exactly the bot keys called "K3, K2, K1", newest first
    And the token "robot-token" has:
      | recovery_count | 1 |

    Examples:
      | point                                                             |
      | after it receives *messages.BoundKeypairRotationResponse          |
      | just before it sends the 2nd *messages.BoundKeypairChallenge      |
      | after it receives the 2nd *messages.BoundKeypairChallengeSolution |

  @BKP-CRT-013 @BKP-CRT-015 @needs-rotation-request @needs-clock-control @needs-bot-clock-file
  Scenario Outline: Killed <point>, started again after its certificate expired, the bot recovers on the key the server has bound
    Given the server holds the next join through token "robot-token" <point>
    When the bot, started as a daemon with token "robot-token", is killed with SIGKILL while the server holds its join
    Then the key the bot offered in the last join through token "robot-token" is called "K2"
    And the token "robot-token" is bound to the bot key called "<bound>"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    Given 2 hours pass on the server's clock
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was not authenticated
    And the last join through token "robot-token" had <challenges> challenges and <rotations> rotation requests
    And the bot's active key is the key bound to token "robot-token"
    And the bot key bound to token "robot-token" is called "K-final"
    And the bot's key history holds exactly the bot keys called "<history>", newest first
    And the token "robot-token" has:
      | recovery_count | 2 |

    Examples:
      | point                                                             | bound | challenges | rotations | history            |
      | after it receives *messages.BoundKeypairRotationResponse          | K1    | 2          | 1         | K-final, K2, K1    |
      | just before it sends the 2nd *messages.BoundKeypairChallenge      | K1    | 2          | 1         | K-final, K2, K1    |
      | after it receives the 2nd *messages.BoundKeypairChallengeSolution | K1    | 2          | 1         | K-final, K2, K1    |
      | just before it sends *messages.BotResult                          | K2    | 1          | 0         | K2, K1             |

  # Point (d), started again at once: the renewal presents the certificate
  # from before the rotation, whose generation the lost Result superseded.
  # Teleport refuses it as a generation mismatch and locks the token. The
  # operator's way out: wait until the certificate has expired (or remove
  # the bot's identity), remove the lock; the bot then recovers with K2.
  @BKP-CRT-015 @needs-rotation-request @needs-clock-control @needs-bot-clock-file @needs-lock-management
  Scenario: Killed just before the Result and started again at once, the bot is locked out until its certificate expires, then recovers with K2
    Given the server holds the next join through token "robot-token" just before it sends *messages.BotResult
    When the bot, started as a daemon with token "robot-token", is killed with SIGKILL while the server holds its join
    Then the key the bot offered in the last join through token "robot-token" is called "K2"
    And the token "robot-token" is bound to the bot key called "K2"
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the bot reports the server's error "cert generation mismatch"
    And apart from one new lock on token "robot-token" saying "certificate generation mismatch", nothing changed on the server
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"
    And the newest key in the bot's key history is the bot key called "K2"
    Given 2 hours pass on the server's clock
    When the admin removes the locks targeting join token "robot-token"
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" challenged the bot key called "K2", and the bot answered with it
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K2"
