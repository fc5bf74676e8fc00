@ROT
Feature: When a join rotates the bound keypair

  A bound keypair is meant to live long, but not forever. The administrator
  asks for a new one by setting spec.bound_keypair.rotate_after to a point in
  time; the server remembers when the key last changed in
  status.bound_keypair.last_rotated_at. On every successful join — an
  onboarding, a renewal or a recovery — the server decides, on the token it
  read when the join began:

    rotate_after unset                          → no rotation
    rotate_after later than the server's time   → no rotation (not yet)
    last_rotated_at unset                       → rotate
    otherwise                                   → rotate if and only if
                                                  last_rotated_at is strictly
                                                  before rotate_after

  So a rotate_after at or before "now" asks for exactly one rotation: the
  join that rotates sets last_rotated_at to its own time, which is no longer
  before rotate_after, and later joins leave the key alone until the
  administrator moves rotate_after again.

  A join that rotates does, after the usual challenge for the bound key,
  send a BoundKeypairRotationRequest, receive the bot's new public key,
  challenge that key, and bind it: 2 challenges and 1 rotation request
  instead of 1 challenge and none.

  # How the table below is played: each row restores the token from a
  # backup holding the bound key of "alice", a bound bot instance, and the
  # rotation state of the row (create honours an incoming status, as in
  # Teleport's own tests, which set these fields directly). alice then
  # recovers — no certificate, insecure mode so no join state is needed —,
  # exactly as Teleport's TestJoinBoundKeypair plays first-rotation-success,
  # first-rotation-skipped, second-rotation-success and
  # second-rotation-skipped. Times are relative to the server's clock when
  # the row is set up.
  #
  # Messages are counted twice: by the suite's client, and from the server's
  # own record of the attempt (GET join-attempts), so a server cannot pass by
  # sending what a lenient client would overlook.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: the server rotates if and only if rotate_after has come and the key was not rotated since

    @needs-join-attempts @needs-recovery
    Scenario Outline: rotate_after <rotate after>, last_rotated_at <last rotated at>: <what happens>
      Given the admin restores token "robot-token" for bot "robot" from a backup holding:
        | recovery.mode                              | insecure                             |
        | recovery.limit                             | 5                                    |
        | rotate_after                               | <rotate after>                       |
        | status.bound_keypair.bound_public_key      | <public key of "alice">              |
        | status.bound_keypair.bound_bot_instance_id | 6f1d3c1e-0000-4000-8000-0000000000a1 |
        | status.bound_keypair.recovery_count        | 1                                    |
        | status.bound_keypair.last_rotated_at       | <last rotated at>                    |
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the server sent <challenges> challenges and <rotation requests> rotation requests
      And the server recorded <challenges> challenges and <rotation requests> rotation requests in the last join through token "robot-token"
      And the token "robot-token" is now bound to <bound key>, byte for byte, as the result says
      And the token "robot-token" has:
        | last_rotated_at | <last rotated after> |
        | recovery_count  | 2                    |

      # Nothing asked for, or asked for later: the key stays, whatever
      # last_rotated_at says (Teleport's first-rotation-skipped: rotate_after
      # a minute ahead).
      @BKP-ROT-001
      Examples: no rotation requested, or requested for later
        | rotate after | last rotated at | what happens        | challenges | rotation requests | bound key                                | last rotated after |
        | <unset>      | <unset>         | the key stays       | 1          | 0                 | the key it was bound to before the join | <unset>            |
        | <unset>      | <now - 1h>      | the key stays       | 1          | 0                 | the key it was bound to before the join | <now - 1h>         |
        | <now + 1m>   | <unset>         | the key stays       | 1          | 0                 | the key it was bound to before the join | <unset>            |
        | <now + 1m>   | <now - 1h>      | the key stays       | 1          | 0                 | the key it was bound to before the join | <now - 1h>         |
        | <now + 1h>   | <now + 2h>      | the key stays       | 1          | 0                 | the key it was bound to before the join | <now + 2h>         |

      # Teleport's first-rotation-success: rotate_after in the past, never
      # rotated.
      @BKP-ROT-002
      Examples: rotation due, and the key was never rotated
        | rotate after | last rotated at | what happens        | challenges | rotation requests | bound key                                     | last rotated after |
        | <now - 1h>   | <unset>         | the key is rotated  | 2          | 1                 | the key offered in the last rotation response | <now>              |
        | <now - 1s>   | <unset>         | the key is rotated  | 2          | 1                 | the key offered in the last rotation response | <now>              |

      # Teleport's second-rotation-success (rotate_after 10 minutes after
      # the last rotation) and second-rotation-skipped (the last rotation
      # 10 minutes after rotate_after), then the edges: one second before
      # rotates, equal does not, and a last rotation recorded in the future
      # (a clock that was set back) does not either.
      @BKP-ROT-003
      Examples: rotation due, and the key was rotated before
        | rotate after | last rotated at | what happens                                      | challenges | rotation requests | bound key                                     | last rotated after |
        | <now - 50m>  | <now - 1h>      | the key is rotated                                | 2          | 1                 | the key offered in the last rotation response | <now>              |
        | <now - 1h>   | <now - 3601s>   | the key is rotated                                | 2          | 1                 | the key offered in the last rotation response | <now>              |
        | <now - 1h>   | <now - 1h>      | the key stays: it was rotated at rotate_after     | 1          | 0                 | the key it was bound to before the join      | <now - 1h>         |
        | <now - 1h>   | <now - 50m>     | the key stays: it was rotated after rotate_after  | 1          | 0                 | the key it was bound to before the join      | <now - 50m>        |
        | <now - 1h>   | <now + 1h>      | the key stays: its last rotation is in the future | 1          | 0                 | the key it was bound to before the join      | <now + 1h>         |

      # rotate_after equal to the server's time of the join counts as
      # reached. Only a clock that stands still between setting the scene and
      # the join makes "now" exact, hence clock control (the reference
      # server's virtual clock).
      @BKP-ROT-002 @BKP-ROT-003 @needs-clock-control
      Examples: rotate_after is exactly the server's time
        | rotate after | last rotated at | what happens                                  | challenges | rotation requests | bound key                                     | last rotated after |
        | <now>        | <unset>         | the key is rotated                            | 2          | 1                 | the key offered in the last rotation response | <now>              |
        | <now>        | <now - 10m>     | the key is rotated                            | 2          | 1                 | the key offered in the last rotation response | <now>              |
        | <now>        | <now>           | the key stays: it was rotated at rotate_after | 1          | 0                 | the key it was bound to before the join      | <now>              |

  Rule: a rotation is asked for once, and answered once

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 3                       |
      And "alice" joins with token "robot-token"
      And the join succeeds

    # The rotating join sets last_rotated_at to its own time, which is not
    # before rotate_after: the next join does not rotate again, although
    # rotate_after is still in the past (R-RT-5, server §6).
    @BKP-ROT-001 @BKP-ROT-003 @needs-rotation-request @needs-renewal
    Scenario: After the rotating renewal, the next renewal keeps the new key
      Given the admin requests a keypair rotation for token "robot-token"
      And the request succeeds
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the server sent 2 challenges and 1 rotation request
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "alice"
      And the token "robot-token" is now bound to the key it was bound to before the join, byte for byte, as the result says
      And the audit log has no "join_token.bound_keypair.rotation" event for token "robot-token"

    # A second request in the very instant of the rotation sets rotate_after
    # equal to last_rotated_at, and "strictly before" is not met: nothing
    # happens. An operator who wants another rotation requests it later
    # (the W-5 story in requesting-a-rotation.feature). Only a clock that
    # stands still makes "the same instant" reproducible.
    @BKP-ROT-003 @needs-rotation-request @needs-renewal @needs-clock-control
    Scenario: A rotation requested in the very instant of the last rotation asks for nothing
      Given the admin requests a keypair rotation for token "robot-token"
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the server sent 2 challenges and 1 rotation request
      When the admin requests a keypair rotation for token "robot-token"
      Then the request succeeds
      And the token "robot-token" has:
        | spec.bound_keypair.rotate_after | <now> |
        | last_rotated_at                 | <now> |
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
