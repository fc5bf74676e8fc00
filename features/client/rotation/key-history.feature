@client @CRT @needs-transcripts @needs-rotation-request @needs-clock-control @needs-bot-tbot-layout
Feature: The bot keeps its 10 most recent keys

  Every rotation adds the new key to the front of the bot's key history
  (`bkp_key_history.json`), and the history keeps at most 10 keys
  (`KeyHistoryLength = 10`, client notes §3.1, §1.5 R-RT-4): enough to
  answer a cluster rolled back over several rotations, without keeping
  every key the bot ever had. A key that has fallen out of the history is
  gone: a cluster that asks for it cannot be answered (W-9 step 5).

  Here the bot is rotated eleven times, one admin request at a time, so it
  has held twelve keys, K1 (the key it was registered with) to K12.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"

  @BKP-CRT-007 @BKP-CRT-009 @needs-raw-status-write
  Scenario: After 9 rotations the history holds all 10 keys, and the oldest can still be answered
    Given the bot has rotated its key 9 times through token "robot-token", its keys called K1 to K10
    Then the bot's key history holds exactly the bot keys called "K10, K9, K8, K7, K6, K5, K4, K3, K2, K1", newest first
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K10"
    When the cluster is rolled back so that token "robot-token" is bound to the bot key called "K1" again
    And the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" challenged the bot key called "K1", and the bot answered with it
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K1"

  @BKP-CRT-007 @BKP-CRT-010 @BKP-CLI-011 @needs-raw-status-write
  Scenario: After 11 rotations the history holds the 10 newest keys, and a cluster rolled back to K1 cannot be answered
    Given the bot has rotated its key 11 times through token "robot-token", its keys called K1 to K12
    Then the bot's key history holds exactly the bot keys called "K12, K11, K10, K9, K8, K7, K6, K5, K4, K3", newest first
    And the bot's id_bkp and id_bkp.pub hold the bot key called "K12"
    Given the bot's storage is noted
    When the cluster is rolled back so that token "robot-token" is bound to the bot key called "K1" again
    And the bot joins once with token "robot-token"
    Then the bot fails
    And the bot gave up on the last join through token "robot-token" without answering its challenge
    And the bot's storage is as noted
    And the status of token "robot-token" is as it was before the join
