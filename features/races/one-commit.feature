@RACE
Feature: One join, one conditional commit

  A bound keypair join plans its changes to the token's status as it goes —
  count a recovery, bind a new key, bind a new bot instance, note a
  rotation, clear a registration secret — and writes them all at the end in
  one write, conditional on the token's revision (server §3 step 7, §9). At
  that write each planned change first checks, on the token as it is now,
  that its field still holds the value the join started from:

    | planned change      | checks that                                               |
    | count a recovery    | recovery_count is unchanged and the limit was not lowered |
    | bind a key          | bound_public_key is unchanged                             |
    | bind a bot instance | bound_bot_instance_id is unchanged, bound_host_id empty   |
    | note a rotation     | last_rotated_at is unchanged                              |
    | clear the secret    | registration_secret is unchanged                          |

  If any check fails, nothing of the join is written and the client is told
  `committing updated token state, please try again`, with the field named
  in `unexpected backend state (<field>)`. The token then holds exactly what
  the competing writer left: never half of one join and half of another.

  Here the competing writer is played by a raw write of the token's status
  through the control API (feature raw-status-write), made while the join
  waits for the bot's first answer: the server has read the token and
  committed nothing. A concurrent join or a restore from backup would write
  the same way. Another race, between two joins that both rotate the key,
  shows the all-or-nothing commit from the joins' side.

  Like every race feature, this one also runs against the SQLite and
  PostgreSQL stores in CI (BKP-RACE-010; see recovery-races.feature).

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bot client "mallory" with an Ed25519 keypair

  Rule: a field the join checks, changed behind its back, fails the commit and keeps the writer's values

    # The admin has asked for a rotation (`tctl bound-keypair
    # request-rotation` sets rotate_after to now), so this recovery plans
    # all four changes a recovery can: count the recovery, bind the new key,
    # note the rotation, bind the new bot instance. Each row changes one of
    # the fields they check and nothing else. A host ID written next to the
    # bound bot instance fails the bot instance check: a token is bound to a
    # bot or to an agent, never to both.
    @BKP-RACE-002 @BKP-RACE-001 @BKP-RACE-010 @needs-raw-status-write @needs-rotation-request
    Scenario Outline: A competing write of <field> fails the recovery's commit
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      And the request succeeds
      When "alice" recovers with token "robot-token" while a competing writer, mid-join, sets the status field <field> to <value>
      Then the join fails with PERMISSION_DENIED "committing updated token state, please try again"
      And the join fails with PERMISSION_DENIED "unexpected backend state (<checked>)"
      And the server sent 2 challenges and 1 rotation request
      And the token "robot-token" holds exactly the status the competing writer wrote
      And no lock was created during the join
      And the audit log has a failed "bot.join" event for token "robot-token"

      Examples:
        | field                 | value                                | checked               |
        | recovery_count        | 3                                    | recovery_count        |
        | bound_public_key      | <public key of "mallory">            | bound_public_key      |
        | last_rotated_at       | <now - 2h>                           | last_rotated_at       |
        | bound_bot_instance_id | 0b3c2a8e-7d0f-4c47-9a54-6f1f6a2b9c11 | bound_bot_instance_id |
        | bound_host_id         | 5e1d4c0a-2b6f-4f0e-8d3a-9c7b1e2f4a60 | bound_bot_instance_id |

    # A registration plans: bind the new key, clear the secret, count the
    # recovery, bind the bot instance. Here the key check passes (still no
    # key bound) and the secret check fails.
    @BKP-RACE-002 @BKP-RACE-001 @BKP-RACE-010 @needs-raw-status-write
    Scenario: A competing write of the registration secret fails the registration's commit
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.registration_secret | correct-horse |
      And a bot client "newbot" with no keypair yet
      When "newbot" joins with token "robot-token" using the registration secret "correct-horse" while a competing writer, mid-join, sets the status field registration_secret to battery-staple
      Then the join fails with PERMISSION_DENIED "committing updated token state, please try again"
      And the join fails with PERMISSION_DENIED "unexpected backend state (registration_secret)"
      And the token "robot-token" holds exactly the status the competing writer wrote
      And the token "robot-token" has:
        | bound_public_key    | <unset>        |
        | registration_secret | battery-staple |
        | recovery_count      | <unset>        |

    # The counter-case: a write that changes no field the join checks
    # (last_recovered_at is set by the join, never checked) only moves the
    # revision. The commit re-reads the token and succeeds (BKP-RACE-009).
    @BKP-RACE-002 @BKP-RACE-009 @needs-raw-status-write
    Scenario: A competing write of a field no check reads does not fail the commit
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      When "alice" recovers with token "robot-token" while a competing writer, mid-join, sets the status field last_recovered_at to <now - 1h>
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count    | 2     |
        | last_recovered_at | <now> |

  Rule: two joins that each change several fields never leave a mix

    # Both racers recover through a token due a rotation (requested by the
    # admin), and each offers
    # its own new key. The winner's four changes are all there; none of the
    # loser's is — not its key, not its bot instance, not a second count.
    @BKP-RACE-001 @BKP-RACE-003 @BKP-RACE-010 @needs-rotation-request
    Scenario: Two recoveries that both rotate the key: the token holds one of them entirely
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      And the request succeeds
      And 2 racers start from copies of "alice"'s keypair, join state and certificate
      When the racers all recover with token "robot-token" at once
      Then exactly 1 racer succeeds
      And every losing racer fails with PERMISSION_DENIED "committing updated token state, please try again"
      And the token "robot-token" is bound to the winning racer's key and bot instance, and to no other racer's key
      And the token "robot-token" has:
        | recovery_count    | 2     |
        | last_rotated_at   | <now> |
        | last_recovered_at | <now> |
      And the winning racer's join state carries recovery_sequence 2 and its bot instance
