@RACE
Feature: Two bots race to use one registration secret

  A registration secret can be used once: the first registration binds the
  bot's new key and clears the secret. But "first" is decided at the commit,
  not at the secret check. Two bots that present the same secret at the same
  moment both pass the check, both are asked for a new key, both prove it,
  and both have a bot instance and certificates made for them. Only one
  commit can bind its key: the other finds a key already bound where it
  expected none, and fails with `committing updated token state, please try
  again` (server §4 "second use", §9).

  A bot that arrives after the commit takes another path: the secret is
  gone and a key is bound, so its join is a recovery, and the server
  challenges the winner's key, which the late bot cannot sign for —
  `validating challenge response`.

  Like every race feature, this one also runs against the SQLite and
  PostgreSQL stores in CI (BKP-RACE-010; see recovery-races.feature).

  Background:
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.registration_secret | correct-horse |
      | recovery.limit                 | 3             |
    And a bot client "alice" with no keypair yet
    And a bot client "bob" with no keypair yet

  # The reference server names the first failed check, the key: plan order
  # is bind the key, clear the secret, count the recovery, bind the bot
  # instance (server §3 A.3, §9).
  @BKP-RACE-005 @BKP-RACE-001 @BKP-RACE-002 @BKP-RACE-010
  Scenario: Two bots present the same secret at once: one registers, the other is told to try again
    When "alice" and "bob" race to register with token "robot-token" using the registration secret "correct-horse"
    Then exactly 1 racer succeeds
    And every losing racer fails with PERMISSION_DENIED "committing updated token state, please try again"
    And every losing racer's error also says "unexpected backend state (bound_public_key)"
    And the token "robot-token" is bound to the winning racer's key and bot instance, and to no other racer's key
    And the token "robot-token" has:
      | registration_secret | <unset> |
      | recovery_count      | 1       |
      | last_rotated_at     | <unset> |
    And the winning racer's join state carries recovery_sequence 1 and its bot instance
    And the audit log shows one failed "bot.join" event per losing racer for token "robot-token"
    And the race created no lock

  # Trying again does not help the loser: the secret is spent. Its second
  # attempt is a recovery of the winner's key, refused at the challenge.
  @BKP-RACE-005 @BKP-RACE-010
  Scenario: The loser tries the secret again and meets the winner's key
    Given "alice" and "bob" race to register with token "robot-token" using the registration secret "correct-horse"
    And exactly 1 racer succeeds
    When the losing racer joins with token "robot-token" using the registration secret "correct-horse" again, signing the challenge with its own key
    Then the join is refused with the challenge error "validating challenge response"
    And the server sent 1 challenge and 0 rotation requests
    And nothing changed on the server
    And the audit log has a failed "join_token.bound_keypair.recovery" event for token "robot-token"
