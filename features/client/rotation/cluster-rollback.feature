@client @CRT @needs-transcripts @needs-rotation-request @needs-raw-status-write
Feature: A bot answers a cluster rolled back to an older key from its key history (W-9)

  When a cluster is restored from a backup, its tokens may name a key the
  bot has since rotated away from. The server then challenges that older
  key. tbot keeps its last 10 keys for exactly this case (client notes
  §1.5 R-RT-4): it looks for the challenged key by comparing public keys,
  first its active key, then its history newest first (C-SG-1), answers
  with the key it finds, and once the Result binds it makes it its active
  key again (C-RS-3). A key it no longer holds cannot be answered: the bot
  gives up (`could not lookup signer for public key …: no matching key
  found`, C-SG-2) and changes nothing.

  The suite rolls the token back with a raw status write: the older key is
  put back as bound_public_key and the rest of the status is kept, so the
  bot's join state still verifies. The last scenario follows the whole of
  the W-9 procedure, where the restored status is older in every field.

  What the suite cannot see: that the active key is looked at before the
  history. Both hold the same key when it matters, so the order shows only
  in speed; the scenarios check that the right key answers.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 2        |
    And the bot has joined once with token "robot-token"
    And the bot has rotated its key 2 times through token "robot-token", its keys called K1 to K3

  @BKP-CRT-009 @BKP-CLI-019 @needs-bot-tbot-layout
  Scenario Outline: Rolled back to <older>, the bot answers with <older> from its history and makes it active again
    When the cluster is rolled back so that token "robot-token" is bound to the bot key called "<older>" again
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" challenged the bot key called "<older>", and the bot answered with it
    And the token "robot-token" is bound to the bot key called "<older>"
    And the bot's id_bkp and id_bkp.pub hold the bot key called "<older>"
    And the bot's key history holds exactly the bot keys called "K3, K2, K1", newest first

    Examples:
      | older |
      | K2    |
      | K1    |

  @BKP-CLI-021 @needs-bot-tbot-messages
  Scenario: The bot says it set an older key active again
    When the cluster is rolled back so that token "robot-token" is bound to the bot key called "K2" again
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the bot's output says "Set new active keypair"

  # The token's bound key as an admin may write it, with a comment: the
  # challenge names it so, and the bot must still recognise its key.
  @BKP-CRT-008 @needs-bot-tbot-layout
  Scenario: A challenge naming the key with a comment after it is answered with that key
    When the cluster is rolled back so that token "robot-token" is bound to the bot key called "K2" again, written with the comment "restored@backup"
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" challenged the bot key called "K2", and the bot answered with it
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K2"

  @BKP-CRT-010 @BKP-CLI-011 @BKP-CLI-027 @needs-bot-tbot-layout
  Scenario: Rolled back to a key the bot never held, the bot gives up without answering and keeps everything as it was
    Given the bot's storage is noted
    When the cluster is rolled back so that token "robot-token" is bound to a key the bot never held again
    And the bot joins once with token "robot-token"
    Then the bot fails
    And the bot gave up on the last join through token "robot-token" without answering its challenge
    And the bot's storage is as noted
    And the status of token "robot-token" is as it was before the join

  @BKP-CRT-011 @needs-bot-tbot-messages
  Scenario: The bot says it could not find the key the server asked for
    When the cluster is rolled back so that token "robot-token" is bound to a key the bot never held again
    And the bot joins once with token "robot-token"
    Then the bot fails
    And the bot's output says "could not lookup signer for public key"
    And the bot's output says "no matching key found"

  # W-9 as the operator lives it. A nightly backup holds the token bound to
  # the bot's key of that day (K-nightly). Afterwards the bot was offline
  # past its certificate's end and recovered (recovery_count 2, a new bot
  # instance, a join state for sequence 2), then rotated to K4. The cluster
  # is restored from the nightly backup: the token names K-nightly,
  # recovery_count 1 and the old bot instance, so the bot's join state no
  # longer matches. The operator switches the token to insecure mode
  # before the bots come back (W-9 step 2); the bot, offline again past its
  # certificate's end, recovers with K-nightly from its history. The
  # operator restores standard mode, and the bot renews as usual.
  @BKP-CRT-009 @needs-clock-control @needs-bot-clock-file @needs-bot-tbot-layout
  Scenario: After a restore from an older backup, the insecure-mode procedure lets the bot recover with the older key
    Given the cluster backup "nightly" holds token "robot-token" as it is now
    And the bot key bound to token "robot-token" is called "K-nightly"
    And 2 hours pass on the server's clock
    And the bot has joined once with token "robot-token"
    And the admin requests a keypair rotation for token "robot-token"
    And 1 minute passes on the server's clock
    And the bot has joined once with token "robot-token"
    And the bot key bound to token "robot-token" is called "K4"
    When the cluster is restored from backup "nightly"
    And the admin edits token "robot-token", setting:
      | spec.bound_keypair.recovery.mode | insecure |
    And 2 hours pass on the server's clock
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was not authenticated
    And the last join through token "robot-token" challenged the bot key called "K-nightly", and the bot answered with it
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K-nightly"
    When the admin edits token "robot-token", setting:
      | spec.bound_keypair.recovery.mode | standard |
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was authenticated
    And the last join through token "robot-token" challenged the bot key called "K-nightly", and the bot answered with it
