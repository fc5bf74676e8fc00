@ROT
Feature: The rotation exchange, and the key it binds

  When a join has to rotate, the server adds three messages to the ceremony
  once the bound key is proven (server §2.2, §6):

    BoundKeypairRotationRequest   { signature_algorithm_suite }  the suite the
                                  ServerInit announced, so the bot knows what
                                  kind of key to make
    BoundKeypairRotationResponse  { public_key }  the bot's new public key, as
                                  authorized_keys text
    BoundKeypairChallenge         { public_key, challenge }  for exactly that
                                  text, the document's sub being its key ID

  and the bot signs the challenge with its new private key. Only then does
  the server look at the key itself: the same key as the one bound — compared
  as keys, not as text — is refused with `public key may not be reused after
  rotation`. It does not compare with any older key, nor with other tokens'
  keys.

  The key is stored exactly as the bot sent it: bound_public_key, the
  result's public_key, and every later challenge carry that text. From then
  on the bound key is the new one, and the old key opens nothing.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 3                       |
    And "alice" joins with token "robot-token"
    And the join succeeds

  Rule: the server asks in the announced suite, and challenges the offered text

    @BKP-ROT-010 @needs-rotation-request @needs-renewal
    Scenario: The rotation request names the ServerInit's suite, and the new key is challenged as sent
      Given the admin requests a keypair rotation for token "robot-token"
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And every rotation request of the join named the signature algorithm suite the ServerInit announced
      And every challenge that followed a rotation response named the offered key byte for byte, with that key's ID as sub
      And the join stream ended with status OK after exactly one Result

    # tbot sends the key without a comment, but the protocol carries text:
    # whatever the bot sends is what the server challenges, stores and
    # returns, comment and all (the next join's challenge echoes it too:
    # BKP-CHL-007).
    @BKP-ROT-010 @BKP-ROT-017 @needs-rotation-request @needs-renewal
    Scenario: A new key sent with a comment is challenged, bound and returned with that comment
      Given the admin requests a keypair rotation for token "robot-token"
      When "alice" joins with token "robot-token" and answers the rotation request with a new Ed25519 key labelled "alice@rotated-laptop"
      Then the join succeeds
      And challenge 2 named the key offered in the rotation response byte for byte
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And challenge 1 named the bound public key of token "robot-token" byte for byte

  Rule: after a rotation only the new key opens the token

    Background:
      Given a bot client "old-alice" holding copies of the keypair, the certificate and the join state of "alice"
      And the admin requests a keypair rotation for token "robot-token"
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the server sent 2 challenges and 1 rotation request

    # old-alice is what a backup of alice's data directory taken before the
    # rotation holds: the old private key, a certificate and the join state.
    # The join state is still the current one (a renewal, rotating or not,
    # counts no recovery), so only the key can stop her.
    @BKP-ROT-018 @needs-rotation-request @needs-renewal
    Scenario Outline: A <join> answered with the key from before the rotation is refused
      When "old-alice" <join> with token "robot-token", signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the server challenged the public key of "alice"
      And nothing changed on the server

      @needs-renewal
      Examples: a renewal
        | join   |
        | renews |

      @needs-recovery
      Examples: a recovery
        | join     |
        | recovers |

    @BKP-ROT-018 @needs-rotation-request @needs-renewal @needs-recovery
    Scenario: The new key with the join state the rotating join returned recovers the bot
      Given "alice" has lost its certificate but kept its key and join state
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "alice"
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And the token "robot-token" has:
        | recovery_count | 2 |

  Rule: the new key must differ from the key bound now, and from nothing else

    # Teleport's rotation-same-key-not-allowed: the bot answers the rotation
    # request with the key already bound. The server only compares after the
    # challenge for that key has been answered (2 challenges), and compares
    # keys, not strings: the same key with a comment is the same key.
    @BKP-ROT-011 @BKP-ROT-016 @BKP-ROT-020 @needs-rotation-request @needs-renewal
    Scenario Outline: A bot that <reuses> is refused, and asked again at its next join
      Given the admin requests a keypair rotation for token "robot-token"
      When "alice" renews with token "robot-token" and, asked to rotate its key, <reuses>
      Then the join fails with INVALID_ARGUMENT "public key may not be reused after rotation"
      And the server sent 2 challenges and 1 rotation request
      And challenge 2 named the key offered in the rotation response byte for byte
      And nothing changed on the server
      And the token "robot-token" has:
        | bound_public_key | <public key of "alice"> |
        | last_rotated_at  | <unset>                 |
      And the keypair rotation audit event of the join failed for token "robot-token" of bot "robot", from the key bound before the join to the key offered in the last rotation response
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the token "robot-token" is now bound to the key offered in the last rotation response, byte for byte, as the result says

      Examples:
        | reuses                                              |
        | offers the key already bound                        |
        | offers the key already bound, with a comment added  |

    # K1 → K2 → K1: the server keeps no history of keys. (Whether that is
    # wise is the operator's business; tbot itself never does it.)
    @BKP-ROT-012 @needs-rotation-request @needs-renewal @needs-clock-control
    Scenario: Rotating back to the key from before the last rotation is allowed
      Given the key "alice" holds now is called "K1"
      And the admin requests a keypair rotation for token "robot-token"
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the keypair rotation replaced the key called "K1" with a new key of "alice", now called "K2"
      And 1 minute passes on the server's clock
      And the admin requests a keypair rotation for token "robot-token"
      When "alice" renews with token "robot-token", answering the rotation request with its key from before the last rotation
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the token "robot-token" is bound to the key called "K1"
      And the keypair rotation audit event of the join succeeded for token "robot-token" of bot "robot", from the key called "K2" to the key called "K1"

    # Two tokens bound to the same key is odd, but nothing in the protocol
    # forbids it: the rotation compares with this token's key only.
    @BKP-ROT-012 @needs-rotation-request @needs-renewal
    Scenario: Rotating to a key another token has bound is allowed
      Given a bot client "bob" with an Ed25519 keypair
      And a bound keypair token "spare-token" for bot "spare" with:
        | onboarding.initial_public_key | <public key of "bob"> |
      And "bob" joins with token "spare-token"
      And the join succeeds
      And the admin requests a keypair rotation for token "robot-token"
      When "alice" renews with token "robot-token", answering the rotation request with the key of "bob"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the token "robot-token" has:
        | bound_public_key | <public key of "bob"> |
      And the token "spare-token" has:
        | bound_public_key | <public key of "bob"> |
