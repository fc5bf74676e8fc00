@ROT
Feature: A rotation comes only after every other check, and is decided when the join begins

  A rotation hands the token to a new key. The server therefore asks for a
  new key only once the join has passed everything else that could stop it
  (server §3 step 5, §6):

    1. the proof of the bound key (one challenge);
    2. for recoveries and onboarding in standard mode, the recovery limit;
    3. the lock check;
    4. the join state, when one is required — Teleport verifies it before
       rotating precisely so that a thief holding a copied key cannot rotate
       the rightful bot out;
    5. for renewals, that the certificate names the bound bot instance.

  A join that fails any of these never sees a rotation request: one
  challenge, then the error. (The generation check of a bot's certificate
  comes after the rotation exchange in Teleport's order and still stops the
  commit: BKP-GEN-009.)

  Whether a join rotates at all is decided on the token as the server read
  it when the join began. An administrator who requests a rotation while a
  renewal is in flight does not change what that renewal does; the request
  takes effect at the bot's next join.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: no rotation request before every other check has passed

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 2                       |
      And "alice" joins with token "robot-token"
      And the join succeeds

    # A copy of the certificate and join state, but not the key.
    @BKP-ROT-008 @needs-rotation-request
    Scenario Outline: A <join> that cannot prove the bound key is not asked for a new one
      Given a bot client "mallory" holding copies of the certificate and the join state of "alice" but a keypair of its own
      And the admin requests a keypair rotation for token "robot-token"
      When "mallory" <join> with token "robot-token", signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "robot-token"

      @needs-renewal
      Examples: a renewal
        | join   |
        | renews |

      @needs-recovery
      Examples: a recovery
        | join     |
        | recovers |

    @BKP-ROT-008 @needs-rotation-request @needs-recovery
    Scenario: A recovery beyond the recovery limit is not asked for a new key
      Given "alice" has recovered 1 time with token "robot-token"
      And the admin requests a keypair rotation for token "robot-token"
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "robot-token"

    @BKP-ROT-008 @needs-rotation-request @needs-lock-management
    Scenario Outline: A <join> through a locked token is not asked for a new key
      Given the admin requests a keypair rotation for token "robot-token"
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      When "alice" <join> with token "robot-token"
      Then the join is refused by a lock with the message "robot is under investigation"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "robot-token"

      @needs-renewal
      Examples: a renewal
        | join   |
        | renews |

      @needs-recovery
      Examples: a recovery
        | join     |
        | recovers |

    # The thief's story: mallory copied alice's key and join state and
    # recovered with them; alice's renewal then presents a join state that
    # is no longer the latest, and locks the token. Neither of them is asked
    # for a new key on the way: a rotation here would hand the token to
    # whoever answered first.
    @BKP-ROT-008 @needs-rotation-request @needs-join-state @needs-renewal @needs-recovery
    Scenario: A renewal whose join state fails verification is not asked for a new key
      Given a bot client "mallory" holding copies of the keypair and the join state of "alice"
      And "mallory" recovers with token "robot-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      When "alice" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And the server sent 1 challenge and 0 rotation requests
      And apart from one new lock on token "robot-token" saying "failed to verify its join state", nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "robot-token"

    # alice recovered (a new bot instance) but kept a copy of her first
    # certificate; with her current join state and that old certificate the
    # renewal passes the join state and fails the instance check.
    @BKP-ROT-008 @needs-rotation-request @needs-renewal @needs-recovery
    Scenario: A renewal with the certificate of a replaced bot instance is not asked for a new key
      Given "alice" keeps a copy of its generation-1 certificate
      And "alice" recovers with token "robot-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      When "alice" renews with token "robot-token" presenting its kept generation-1 certificate
      Then the join fails with PERMISSION_DENIED "bot instance mismatch"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "robot-token"

  Rule: no rotation request at onboarding before the key is proven

    @BKP-ROT-008
    Scenario: An onboarding that cannot prove the pre-registered key is not asked for a new one
      Given a bound keypair token "fresh-token" for bot "fresh" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | rotate_after                  | <now - 1h>              |
      And a bot client "mallory" with an Ed25519 keypair
      When "mallory" joins with token "fresh-token", signing the challenge with its own key
      Then the join fails with PERMISSION_DENIED "failed to complete challenge"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "fresh-token"

    # Onboarding checks the lock after the key proof — for a registration
    # secret, after the registration's own rotation request and challenge —
    # and before the rotation.
    @BKP-ROT-008 @needs-lock-management
    Scenario: A pre-registered-key onboarding through a locked token is not asked to rotate
      Given a bound keypair token "fresh-token" for bot "fresh" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | rotate_after                  | <now - 1h>              |
      And the admin locks the join token "fresh-token" with the message "not yet"
      When "alice" joins with token "fresh-token"
      Then the join is refused by a lock with the message "not yet"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "fresh-token"

    @BKP-ROT-008 @needs-lock-management
    Scenario: A registration-secret onboarding through a locked token registers its key but is not asked to rotate
      Given a bound keypair token "fresh-token" for bot "fresh" with:
        | onboarding.registration_secret | correct-horse |
        | rotate_after                   | <now - 1h>    |
      And a bot client "bob" with no keypair yet
      And the admin locks the join token "fresh-token" with the message "not yet"
      When "bob" joins with token "fresh-token" using the registration secret "correct-horse"
      Then the join is refused by a lock with the message "not yet"
      And the server sent 1 challenge and 1 rotation request
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.rotation" event for token "fresh-token"

    # A wrong secret is refused before any key is asked for — neither the
    # registration's request nor the rotation's.
    @BKP-ROT-008
    Scenario: A wrong registration secret is not asked for any key
      Given a bound keypair token "fresh-token" for bot "fresh" with:
        | onboarding.registration_secret | correct-horse |
        | rotate_after                   | <now - 1h>    |
      When "alice" joins with token "fresh-token" using the registration secret "battery-staple"
      Then the join fails with PERMISSION_DENIED "a valid registration secret is required"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server

  Rule: the decision is taken on the token as read when the join began

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 2                       |
      And "alice" joins with token "robot-token"
      And the join succeeds

    # The admin's request lands after the server read the token and sent
    # its challenge, before alice answers. The renewal completes as it
    # began, without a rotation; it writes nothing, so the admin's
    # rotate_after stays (BKP-RACE-009), and alice's next join rotates.
    @BKP-ROT-009 @needs-rotation-request @needs-renewal
    Scenario: A rotation requested while a renewal is in flight is carried out by the next join
      When "alice" renews with token "robot-token" while the admin requests a keypair rotation before the bot answers its challenge
      Then the join succeeds
      And the request succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the token "robot-token" is now bound to the key it was bound to before the join, byte for byte, as the result says
      And the token "robot-token" has:
        | spec.bound_keypair.rotate_after | <now>   |
        | last_rotated_at                 | <unset> |
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      And the token "robot-token" has:
        | last_rotated_at | <now> |

    # The other way round [INFERRED from the same rule]: a rotation was due
    # when the renewal began, and the admin pushes rotate_after into the
    # future while it is in flight (a `tctl edit`, which keeps the status).
    # The renewal still rotates — the decision was taken — and its commit
    # only checks the status fields it changes, so the admin's edit stays
    # too. The next join, with rotate_after ahead, does not rotate.
    @BKP-ROT-009 @needs-rotation-request @needs-renewal
    Scenario: Moving rotate_after into the future while a rotating renewal is in flight does not stop it
      Given the admin requests a keypair rotation for token "robot-token"
      When "alice" renews with token "robot-token" while the admin, mid-join, changes the token:
        | rotate_after | <now + 1h> |
      Then the join succeeds
      And the admin's mid-join change was accepted
      And the server sent 2 challenges and 1 rotation request
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      And the token "robot-token" has:
        | spec.bound_keypair.rotate_after | <now + 1h> |
        | last_rotated_at                 | <now>      |
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
