@ROT
Feature: A due rotation happens in whatever join comes next

  Rotation is not a separate operation: it rides along with the next
  successful join, whichever kind it is (server §3 step 5). The branch does
  its own work first — proves the key, counts a recovery, checks locks and
  the join state —, then the rotation adds its exchange at the end of the
  ceremony:

    pre-registered onboarding   challenge(initial key) → rotation request → challenge(new key)
    secret onboarding           rotation request → challenge(registered key)
                                  → rotation request → challenge(rotated key)
    renewal, recovery           challenge(bound key) → rotation request → challenge(new key)

  and everything the join changes — the new key, last_rotated_at, and for
  onboarding and recovery the recovery count and the new bot instance — is
  written in the join's single commit. A renewal stays a renewal: the same
  bot instance, its generation counter one further, no recovery counted.

  The suite's bot behaves like tbot: it answers a rotation request with a
  fresh key of the kind the announced suite implies, and once the join has
  succeeded it uses that key as its active one (keeping the old one in its
  key history).

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: a renewal with a rotation due rotates and stays a renewal

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 1                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      And the request succeeds

    @BKP-ROT-004 @BKP-ROT-002 @BKP-ROT-017 @needs-rotation-request @needs-renewal
    Scenario: A renewal proves the bound key, then the new one, and renews the same bot instance
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the join stream carried, in this order:
        | client | *messages.ClientInit                    |
        | server | *messages.ServerInit                    |
        | client | *messages.BoundKeypairInit              |
        | server | *messages.BoundKeypairChallenge         |
        | client | *messages.BoundKeypairChallengeSolution |
        | server | *messages.BoundKeypairRotationRequest   |
        | client | *messages.BoundKeypairRotationResponse  |
        | server | *messages.BoundKeypairChallenge         |
        | client | *messages.BoundKeypairChallengeSolution |
        | server | *messages.BotResult                     |
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And every challenge that followed a rotation response named the offered key byte for byte, with that key's ID as sub
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      And the token "robot-token" has:
        | last_rotated_at | <now> |
        | recovery_count  | 1     |
      And apart from bound_public_key and last_rotated_at, the join left the status of token "robot-token" as it was
      And the keypair rotation kept token "robot-token" bound to the same bot instance
      And the certificate names the bot instance bound to token "robot-token" at generation 2
      And 1 bot instance exists for bot "robot"
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
      And the keypair rotation audit event of the join succeeded for token "robot-token" of bot "robot", from the key bound before the join to the key offered in the last rotation response

    # The join state a rotating renewal returns still names the same bot
    # instance and recovery sequence: a rotation is not a recovery.
    @BKP-ROT-004 @needs-rotation-request @needs-renewal
    Scenario: The rotating renewal's join state carries on the one the bot presented
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the renewal's join state names the same bot instance and recovery sequence as the join state "alice" presented
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | sub               | robot                                 |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
        | recovery_sequence | 1                                     |

  Rule: a recovery with a rotation due recovers and rotates in one commit

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 2                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      And the request succeeds

    # Everything the recovery and the rotation change arrives together; a
    # recovery whose rotation fails changes none of it (failed-rotations.feature).
    @BKP-ROT-005 @BKP-ROT-002 @BKP-ROT-017 @needs-rotation-request @needs-recovery
    Scenario: A recovery counts a recovery, starts a new bot instance and binds the new key together
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And every challenge that followed a rotation response named the offered key byte for byte, with that key's ID as sub
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the token "robot-token" has:
        | recovery_count    | 2     |
        | last_recovered_at | <now> |
        | last_rotated_at   | <now> |
      And apart from bound_public_key, last_rotated_at, recovery_count, last_recovered_at and bound_bot_instance_id, the join left the status of token "robot-token" as it was
      And the certificate names the bot instance bound to token "robot-token" at generation 1
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 2                                     |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
      And the join recorded one successful recovery event for token "robot-token", naming bot "robot", the bound key, recovery count 2 and mode "standard"
      And the keypair rotation audit event of the join succeeded for token "robot-token" of bot "robot", from the key bound before the join to the key offered in the last rotation response

  Rule: an onboarding with a rotation due binds the rotated key, not the first one

    # The administrator pre-registered alice's key and also asked for a
    # rotation: alice proves the pre-registered key, is asked for a new one
    # and proves that. The token ends up bound to the new key; the
    # pre-registered key was bound for no longer than the join lasted.
    # (BKP-ONB-022 — onboarding leaves last_rotated_at unset — is about
    # onboarding without a rotation due.)
    @BKP-ROT-006 @BKP-ROT-017
    Scenario: A pre-registered-key onboarding with a rotation due binds the new key
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | rotate_after                  | <now - 1h>              |
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And challenge 1 named the pre-registered public key of token "robot-token" byte for byte
      And every challenge that followed a rotation response named the offered key byte for byte, with that key's ID as sub
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      And the token "robot-token" has:
        | recovery_count        | 1       |
        | last_recovered_at     | <now>   |
        | last_rotated_at       | <now>   |
        | registration_secret   | <unset> |
        | bound_bot_instance_id | <set>   |
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the keypair rotation audit event of the join succeeded for token "robot-token" of bot "robot", from the pre-registered key to the key offered in the last rotation response

    # Server notes §2.2 and §12.4: a secret-based onboarding while a rotation
    # is due is the only join with two rotation requests. The first asks for
    # the key to register, the second for the key to rotate to; the status
    # goes "" → registered key → rotated key in one commit.
    @BKP-ROT-007 @BKP-ROT-017
    Scenario: A registration-secret onboarding with a rotation due asks for a key twice
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.registration_secret | correct-horse |
        | rotate_after                   | <now - 1h>    |
      And a bot client "bob" with no keypair yet
      When "bob" joins with token "robot-token" using the registration secret "correct-horse"
      Then the join succeeds
      And the join stream carried, in this order:
        | client | *messages.ClientInit                    |
        | server | *messages.ServerInit                    |
        | client | *messages.BoundKeypairInit              |
        | server | *messages.BoundKeypairRotationRequest   |
        | client | *messages.BoundKeypairRotationResponse  |
        | server | *messages.BoundKeypairChallenge         |
        | client | *messages.BoundKeypairChallengeSolution |
        | server | *messages.BoundKeypairRotationRequest   |
        | client | *messages.BoundKeypairRotationResponse  |
        | server | *messages.BoundKeypairChallenge         |
        | client | *messages.BoundKeypairChallengeSolution |
        | server | *messages.BotResult                     |
      And every rotation request of the join named the signature algorithm suite the ServerInit announced
      And every challenge that followed a rotation response named the offered key byte for byte, with that key's ID as sub
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      And the result names the public key of "bob" as the bound key
      And the token "robot-token" has:
        | registration_secret | <unset> |
        | recovery_count      | 1       |
        | last_rotated_at     | <now>   |
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the keypair rotation audit event of the join succeeded for token "robot-token" of bot "robot", from the key registered earlier in the join to the key offered in the last rotation response

    # Counted again from the server's side: two rotation requests, two
    # challenges, as the server itself recorded the attempt.
    @BKP-ROT-007 @needs-join-attempts
    Scenario: The server's own record of a secret onboarding with a rotation due shows both requests
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.registration_secret | correct-horse |
        | rotate_after                   | <now - 1h>    |
      And a bot client "bob" with no keypair yet
      When "bob" joins with token "robot-token" using the registration secret "correct-horse"
      Then the join succeeds
      And the server sent 2 challenges and 2 rotation requests
      And the server recorded 2 challenges and 2 rotation requests in the last join through token "robot-token"

    # The reused-key check compares with the key bound at that moment of
    # the join — here the key bob registered a moment earlier. Nothing is
    # committed, so the secret still works afterwards.
    @BKP-ROT-007 @BKP-ROT-011 @BKP-ROT-016
    Scenario: Registering a key and "rotating" to the same key is refused, and the secret stays usable
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.registration_secret | correct-horse |
        | rotate_after                   | <now - 1h>    |
      And a bot client "bob" with no keypair yet
      When "bob" joins with token "robot-token" using the registration secret "correct-horse" and, asked to rotate its key, offers the key already bound
      Then the join fails with INVALID_ARGUMENT "public key may not be reused after rotation"
      And the server sent 2 challenges and 2 rotation requests
      And nothing changed on the server
      And 0 bot instances exist for bot "robot"
      And the keypair rotation audit event of the join failed for token "robot-token" of bot "robot", from the key registered earlier in the join to the key offered in the last rotation response
      When "bob" joins with token "robot-token" using the registration secret "correct-horse"
      Then the join succeeds
      And the server sent 2 challenges and 2 rotation requests
      And the token "robot-token" has:
        | registration_secret | <unset> |
        | recovery_count      | 1       |

    # The pre-registered key was proven, but the rotation failed: the
    # onboarding as a whole failed, so nothing is bound, no recovery is
    # counted and no bot instance exists. The administrator's token can
    # still onboard.
    @BKP-ROT-016 @BKP-ROT-006
    Scenario: An onboarding whose rotation fails binds nothing and can be tried again
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | rotate_after                  | <now - 1h>              |
      When "alice" joins with token "robot-token" and, asked to rotate its key, gives up
      Then the keypair rotation fails with an error saying "requesting a new public key"
      And the server sent 1 challenge and 1 rotation request
      And nothing changed on the server
      And 0 bot instances exist for bot "robot"
      And the keypair rotation audit event of the join failed for token "robot-token" of bot "robot", from the pre-registered key to no key
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the token "robot-token" has:
        | recovery_count  | 1     |
        | last_rotated_at | <now> |
