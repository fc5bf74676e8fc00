@CHL
Feature: Only a real signature by the challenged key, in that key's own algorithm, is accepted

  A JWS carries its own description of how it was signed: the `alg` header.
  A verifier that trusts that header can be talked out of checking anything.
  The classic forgeries are `alg: none` (no signature at all), an HMAC keyed
  with the verifier's PUBLIC key (which anyone can compute), a signature
  labelled with another algorithm than the key's, and of course a valid
  signature by some other key.

  The server knows which key it challenged, so it knows the one algorithm
  that key signs with (Ed25519 → EdDSA, ECDSA P-256 → ES256, RSA → RS256)
  and must verify with exactly that key and that algorithm. Anything that is
  not a compact JWS at all is refused while parsing (`parsing signed
  response`). Every forged answer is refused, and nothing changes.

  # Which path: as for tampered claims, each forgery is tried at onboarding
  # (PERMISSION_DENIED `failed to complete challenge`, the reason in the
  # recovery audit event) and at recovery of an already-bound token in
  # insecure mode (the reason reaches the client).
  #
  # Error texts: only `validating challenge response` is required for
  # alg none, HMAC and mislabelled signatures. Whether such a JWS fails
  # while parsing (go-jose v4 parses against a list of allowed algorithms,
  # whose exact content in Teleport is [UNVERIFIED]) or while verifying
  # (go-jose v3) depends on the Teleport version. The reference server
  # refuses them while parsing, before any signature work.
  #
  # gRPC status at recovery: see tampered-claims.feature (INVALID_ARGUMENT,
  # PERMISSION_DENIED or UNKNOWN are accepted; the text is checked).
  #
  # Not tried: a valid Ed25519 signature labelled with the fully-specified
  # alg name `Ed25519` (RFC 9864). That name does match the key's type, so a
  # server may accept it; Teleport's go-jose does not know it.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bot client "mallory" with an Ed25519 keypair
    And a bot client "mallory-p256" with an ECDSA P-256 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | insecure                |
      | recovery.limit                | 10                      |

  Rule: At onboarding a forged answer only earns "failed to complete challenge"

    Scenario Outline: Onboarding refused: <forgery>
      When "alice" joins with token "robot-token" and answers with a forged solution: <forgery>
      Then the join fails with PERMISSION_DENIED "failed to complete challenge"
      And nothing changed on the server
      And the audit log has a failed "join_token.bound_keypair.recovery" event for token "robot-token" saying "<error>"
      And the audit log has a failed "bot.join" event for token "robot-token"

      @BKP-CHL-023
      Examples: a signature by another key, or one that does not verify
        | forgery                                                                 | error                         |
        | a valid signature by "mallory"                                          | validating challenge response |
        | a valid signature by "mallory-p256"                                     | validating challenge response |
        | a valid signature by "mallory", its public key embedded as a jwk header | validating challenge response |
        | a valid signature by "alice" with its last byte flipped                 | validating challenge response |

      @BKP-CHL-024
      Examples: alg none
        | forgery                                     | error                         |
        | alg "none" and an empty signature           | validating challenge response |
        | alg "none" and a valid signature by "alice" | validating challenge response |

      @BKP-CHL-025
      Examples: HMAC keyed with the public key
        | forgery                                                    | error                         |
        | HS256 keyed with the challenged key's authorized_keys text | validating challenge response |
        | HS256 keyed with the challenged key's PEM                  | validating challenge response |
        | HS384 keyed with the challenged key's PKIX DER             | validating challenge response |
        | HS512 keyed with the challenged key's SSH wire encoding    | validating challenge response |

      @BKP-CHL-026
      Examples: the right signature under another algorithm's name
        | forgery                                       | error                         |
        | alg "ES256" over a valid signature by "alice" | validating challenge response |
        | alg "RS256" over a valid signature by "alice" | validating challenge response |
        | no alg over a valid signature by "alice"      | validating challenge response |

      @BKP-CHL-027
      Examples: not a compact JWS
        | forgery                                 | error                   |
        | an empty string                         | parsing signed response |
        | the text "hello"                        | parsing signed response |
        | the challenge document itself, unsigned | parsing signed response |
        | only two dot-separated parts            | parsing signed response |
        | four dot-separated parts                | parsing signed response |
        | a header that is not base64url          | parsing signed response |
        | a header that is not JSON               | parsing signed response |
        | 200 random bytes                        | parsing signed response |

  Rule: At recovery the bot is told that its answer did not verify

    Background:
      Given "alice" joins with token "robot-token"
      And the join succeeds

    Scenario Outline: Recovery refused: <forgery>
      When "alice" joins with token "robot-token" and answers with a forged solution: <forgery>
      Then the join is refused with the challenge error "<error>"
      And nothing changed on the server
      And the audit log has a failed "join_token.bound_keypair.recovery" event for token "robot-token" saying "<error>"
      And the audit log has a failed "bot.join" event for token "robot-token"

      @BKP-CHL-023
      Examples: a signature by another key, or one that does not verify
        | forgery                                                                 | error                         |
        | a valid signature by "mallory"                                          | validating challenge response |
        | a valid signature by "mallory-p256"                                     | validating challenge response |
        | a valid signature by "mallory", its public key embedded as a jwk header | validating challenge response |
        | a valid signature by "alice" with its last byte flipped                 | validating challenge response |

      @BKP-CHL-024
      Examples: alg none
        | forgery                                     | error                         |
        | alg "none" and an empty signature           | validating challenge response |
        | alg "none" and a valid signature by "alice" | validating challenge response |

      @BKP-CHL-025
      Examples: HMAC keyed with the public key
        | forgery                                                    | error                         |
        | HS256 keyed with the challenged key's authorized_keys text | validating challenge response |
        | HS256 keyed with the challenged key's PEM                  | validating challenge response |
        | HS384 keyed with the challenged key's PKIX DER             | validating challenge response |
        | HS512 keyed with the challenged key's SSH wire encoding    | validating challenge response |

      @BKP-CHL-026
      Examples: the right signature under another algorithm's name
        | forgery                                       | error                         |
        | alg "ES256" over a valid signature by "alice" | validating challenge response |
        | alg "RS256" over a valid signature by "alice" | validating challenge response |
        | no alg over a valid signature by "alice"      | validating challenge response |

      @BKP-CHL-027
      Examples: not a compact JWS
        | forgery                                 | error                   |
        | an empty string                         | parsing signed response |
        | the text "hello"                        | parsing signed response |
        | the challenge document itself, unsigned | parsing signed response |
        | only two dot-separated parts            | parsing signed response |
        | four dot-separated parts                | parsing signed response |
        | a header that is not base64url          | parsing signed response |
        | a header that is not JSON               | parsing signed response |
        | 200 random bytes                        | parsing signed response |

  Rule: Whatever the key type, a signature counts only under that key's own algorithm

    # The same attacks against the other key types, at recovery. For RSA the
    # HMAC forgery is the historic one (HS256 keyed with the PEM of an RSA
    # public key); PS256 is an RSA algorithm too, but a PKCS#1 v1.5
    # signature labelled PS256 cannot verify.
    Scenario Outline: An <key type> key's answer refused: <forgery>
      Given a bot client "carol" with an <key type> keypair
      And a bound keypair token "carol-token" for bot "carol" with:
        | onboarding.initial_public_key | <public key of "carol"> |
        | recovery.mode                 | insecure                |
        | recovery.limit                | 10                      |
      And "carol" joins with token "carol-token"
      And the join succeeds
      When "carol" joins with token "carol-token" and answers with a forged solution: <forgery>
      Then the join is refused with the challenge error "validating challenge response"
      And nothing changed on the server
      And the audit log has a failed "join_token.bound_keypair.recovery" event for token "carol-token" saying "validating challenge response"

      @BKP-CHL-026
      Examples: the right signature under another algorithm's name
        | key type    | forgery                                       |
        | ECDSA P-256 | alg "EdDSA" over a valid signature by "carol" |
        | ECDSA P-256 | alg "ES384" over a valid signature by "carol" |
        | ECDSA P-256 | alg "RS256" over a valid signature by "carol" |
        | RSA         | alg "PS256" over a valid signature by "carol" |
        | RSA         | alg "RS512" over a valid signature by "carol" |
        | RSA         | alg "EdDSA" over a valid signature by "carol" |

      @BKP-CHL-025
      Examples: HMAC keyed with the public key
        | key type    | forgery                                                    |
        | ECDSA P-256 | HS256 keyed with the challenged key's authorized_keys text |
        | RSA         | HS256 keyed with the challenged key's PEM                  |
        | RSA         | HS256 keyed with the challenged key's PKIX DER             |

      @BKP-CHL-024
      Examples: alg none
        | key type    | forgery                           |
        | ECDSA P-256 | alg "none" and an empty signature |
        | RSA         | alg "none" and an empty signature |

      @BKP-CHL-023
      Examples: a signature by another key
        | key type    | forgery                        |
        | ECDSA P-256 | a valid signature by "mallory" |
        | RSA         | a valid signature by "mallory" |

    # ES256 in JWS means the raw 64-byte r||s signature (RFC 7518 §3.4), not
    # the DER encoding most crypto libraries produce by default; a DER
    # signature does not verify as ES256.
    @BKP-CHL-009
    Scenario: An ECDSA P-256 signature in DER form is not an ES256 signature
      Given a bot client "carol" with an ECDSA P-256 keypair
      And a bound keypair token "carol-token" for bot "carol" with:
        | onboarding.initial_public_key | <public key of "carol"> |
        | recovery.mode                 | insecure                |
        | recovery.limit                | 10                      |
      And "carol" joins with token "carol-token"
      And the join succeeds
      When "carol" joins with token "carol-token" and answers with a forged solution: an ECDSA signature by "carol" in DER form
      Then the join is refused with the challenge error "validating challenge response"
      And nothing changed on the server
