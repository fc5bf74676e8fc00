@CHL
Feature: The challenge document a bot signs to prove it holds its key

  Whenever a bot must prove that it holds a private key (at onboarding, at
  every renewal and recovery, and for its new key after a rotation request)
  the server sends a BoundKeypairChallenge with two fields:

    public_key  the public key it wants a signature from, as authorized_keys text
    challenge   a small JSON document of JWT claims

  The bot signs the exact bytes of that document as the payload of a compact
  JWS, with header {"alg": <its key's algorithm>, "typ": "JWT"}, and sends the
  JWS back as its solution. The document names the cluster as issuer (iss)
  and audience (aud), names the key that must sign it by its key ID (sub),
  gives a validity window in whole seconds (nbf, iat, exp) and carries a
  random nonce that makes every challenge unique.

  # Which path: the document is built the same way on every path, so this
  # feature reads it where it is cheapest to get, a pre-registered-key
  # onboarding whose single challenge the honest bot answers. Only
  # public_key depends on the path; it is checked at onboarding, at recovery
  # and after a rotation request.
  #
  # The key ID is recomputed by the suite from the key itself (SHA-256 over
  # the PKIX SubjectPublicKeyInfo DER, PKCS#1 DER for RSA keys, base64url
  # without padding), never taken from the server.
  #
  # Claim order is not checked: Teleport's go-jose writes iss, sub, aud, exp,
  # nbf, iat, then nonce, but the client signs whatever bytes it receives, so
  # the order carries no meaning.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |

  Rule: The document is a JSON object of exactly seven claims

    @BKP-CHL-001 @BKP-CHL-002 @BKP-CHL-003 @BKP-CHL-004 @BKP-CHL-005
    Scenario: The challenge names the cluster, the key, a validity window and a nonce
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the challenge document is a JSON object with exactly the claims iss, sub, aud, exp, nbf, iat and nonce
      And the challenge document names the cluster as iss and as aud, aud being a plain JSON string
      And the challenge document's sub is the key ID of "alice"'s public key
      And the challenge document's iat is the server's clock in whole seconds, with nbf 10 seconds before and exp 60 seconds after
      And the challenge document's nonce is 64 lowercase hexadecimal characters

    # JWT NumericDates are whole seconds. A server whose clock reads
    # hh:mm:ss.999 must issue the second it is in (truncation), not the next
    # one: go-jose truncates, and a rounded-up iat would lie one second in
    # the future.
    @BKP-CHL-004
    Scenario Outline: Time claims are the server's clock truncated to whole seconds (<ms> ms past the second)
      Given the suite can move the server's clock for challenge timing
      And the server's clock is moved to <ms> ms past a whole second
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the challenge document's iat is the server's clock in whole seconds, with nbf 10 seconds before and exp 60 seconds after

      Examples:
        | ms  |
        | 0   |
        | 500 |
        | 999 |

  Rule: Every challenge carries a fresh nonce

    # The server stores no nonce; it keeps the issued document in the
    # stream's memory. Uniqueness therefore has to come from randomness: on a
    # virtual clock these challenges are all issued in the same second, so
    # their time claims are equal and only the nonce can tell them apart.
    @BKP-CHL-006
    Scenario Outline: Challenges requested <how> all carry different nonces
      When "alice" asks token "robot-token" for a challenge on 5 streams <how> and gives up on each
      Then no two challenges on those streams share a nonce
      And nothing changed on the server

      Examples:
        | how               |
        | at once           |
        | one after another |

  Rule: public_key is the exact text of the key the bot must sign with

    # The pre-registered key carries an authorized_keys comment: a server
    # that re-encodes the key it parsed, instead of sending the stored text,
    # drops the comment and is caught.
    Background:
      Given a bound keypair token "labelled-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> alice@build-host |
        | recovery.mode                 | insecure                                 |
        | recovery.limit                | 10                                       |

    @BKP-CHL-007
    Scenario: At onboarding the server challenges the pre-registered key as the administrator wrote it
      When "alice" joins with token "labelled-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And challenge 1 named the pre-registered public key of token "labelled-token" byte for byte

    @BKP-CHL-007
    Scenario: At recovery the server challenges the bound key as the token's status stores it
      Given "alice" joins with token "labelled-token"
      And the join succeeds
      When "alice" recovers with token "labelled-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And challenge 1 named the bound public key of token "labelled-token" byte for byte

    # The same join also shows that two challenges within one stream carry
    # different nonces.
    @BKP-CHL-007 @BKP-CHL-006
    Scenario: After a rotation request the server challenges the new key exactly as the bot sent it
      Given a bound keypair token "rotating-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | rotate_after                  | <now - 1h>              |
      When "alice" joins with token "rotating-token" and answers the rotation request with a new Ed25519 key labelled "alice-rotated"
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And challenge 1 named the pre-registered public key of token "rotating-token" byte for byte
      And challenge 2 named the key offered in the rotation response byte for byte
      And the two challenges of that join carry different nonces

  Rule: Each kind of key answers with its own JWS algorithm

    # Teleport signs with jwt.AlgorithmForPublicKey: Ed25519 → EdDSA,
    # ECDSA P-256 → ES256, RSA → RS256 ([INFERRED] for RSA; a SHOULD).
    # ES256 signatures are the JWS form, r||s, 64 bytes, not DER.
    @BKP-CHL-003
    Scenario Outline: An <key type> key is challenged by its key ID and answers with <alg>
      Given a bot client "bob" with an <key type> keypair
      And a bound keypair token "bob-token" for bot "bob" with:
        | onboarding.initial_public_key | <public key of "bob"> |
      When "bob" joins with token "bob-token", signing the challenge with alg "<alg>"
      Then the join succeeds
      And the challenge document's sub is the key ID of "bob"'s public key
      And the token "bob-token" has:
        | bound_public_key | <public key of "bob"> |
        | recovery_count   | 1                     |

      @BKP-CHL-008
      Examples: Ed25519
        | key type | alg   |
        | Ed25519  | EdDSA |

      @BKP-CHL-009
      Examples: ECDSA P-256
        | key type    | alg   |
        | ECDSA P-256 | ES256 |

      @BKP-CHL-010
      Examples: RSA
        | key type | alg   |
        | RSA      | RS256 |

    # BKP-CHL-029 is a MAY: Teleport verifies whatever key parses from
    # authorized_keys text, so P-384 and P-521 keys may work, though no suite
    # generates them. A server may refuse such a key (when the token is
    # stored, or before any challenge); the scenario is then skipped as not
    # applicable. What it must not do is challenge a P-384 key and then
    # refuse a correct ES384 answer: that token could never be used.
    @BKP-CHL-029
    Scenario: A server that challenges an ECDSA P-384 key accepts its ES384 answer
      Given a bot client "petra" whose key is ECDSA on curve P-384
      And a bound keypair token "p384-token" for bot "petra" whose pre-registered key is the P-384 key of "petra"
      When "petra" joins with token "p384-token", signing the challenge with alg "ES384"
      Then the server either refused the P-384 key before challenging it, or accepted its ES384 answer
