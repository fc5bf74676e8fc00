@SUI
Feature: The signature algorithm suite does not restrict the type of the bound key

  The signature algorithm suite tells clients which type of bound key to
  generate (Ed25519 under `legacy`, `balanced-v1` and `hsm-v1`; ECDSA P-256
  under `fips-v1`), but it binds only the client. The server accepts any
  bound key that parses and verifies its signature with the algorithm of
  the key's own type — Ed25519 with EdDSA, ECDSA P-256 with ES256, RSA with RS256 —
  whatever the suite: for a pre-registered key, for a key registered with
  a secret, for renewals and recoveries, and for the key a client returns
  when the server asks it to rotate. So an admin who pre-registers a key
  made elsewhere, or a client that keeps generating the type it always
  did after the cluster moved to `fips-v1`, keeps working, and a rotation
  may change the type of the bound key.

  # [INFERRED] No suite check was found on Teleport's server side (server
  # §2.7): the signature algorithm suite only decides what the client
  # generates, and these scenarios hold the server to that. RSA bound keys
  # are a SHOULD (BKP-SUI-007): their acceptance is inferred, and no
  # Teleport client generates them.
  #
  # How a scenario comes to run under a given suite: see
  # announced-suite.feature (the target already runs it, or is switched
  # through PATCH settings).

  Rule: under every suite, a bound key of every type onboards, renews, recovers, registers and rotates

    # One scenario per suite and key type, each covering every way a key
    # gets bound or used: "alice" onboards with her pre-registered key,
    # renews and recovers with it; "newbot" registers a key of that type
    # with the token's secret; then alice, asked to rotate, offers a new
    # key of the same type.
    Scenario Outline: Under <suite>, a <key type> bound key onboards, renews, recovers, registers and rotates
      Given the cluster runs with signature algorithm suite "<suite>"
      And a bot client "alice" with an <key type> keypair
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 3                       |
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the join announced signature algorithm suite "<suite>" in its ServerInit and in each of its 0 rotation requests
      And the token "robot-token" is bound to "alice"'s <key type> key
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server challenged the public key of "alice"
      And the certificate names the bot instance bound to token "robot-token" at generation 2
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      And the token "robot-token" is bound to "alice"'s <key type> key
      Given a bot client "newbot" with no keypair yet
      And a bound keypair token "secret-token" for bot "newbot"
      When "newbot" joins with token "secret-token" using the token's registration secret, offering a new <key type> key
      Then the join succeeds
      And the token "secret-token" is bound to the <key type> key "newbot" offered
      When the admin requests a keypair rotation for token "robot-token"
      And "alice" renews with token "robot-token", answering the rotation request with a new <key type> key
      Then the join succeeds
      And the server challenged the key "alice" offered in its rotation request
      And the token "robot-token" is bound to the <key type> key "alice" offered

      @BKP-SUI-006
      Examples: the key types every client may hold
        | suite       | key type    |
        | legacy      | Ed25519     |
        | legacy      | ECDSA P-256 |
        | balanced-v1 | Ed25519     |
        | balanced-v1 | ECDSA P-256 |
        | fips-v1     | Ed25519     |
        | fips-v1     | ECDSA P-256 |
        | hsm-v1      | Ed25519     |
        | hsm-v1      | ECDSA P-256 |

      @BKP-SUI-007
      Examples: RSA (2048-bit), answered with RS256
        | suite       | key type |
        | legacy      | RSA      |
        | balanced-v1 | RSA      |
        | fips-v1     | RSA      |
        | hsm-v1      | RSA      |

  Rule: the type of the key returned to a rotation request is the client's choice

    # The rotation request names the suite, and an honest client of that
    # suite would generate the suite's type. The server must not insist:
    # alice holds the other type, and stays with it — so the rotation
    # changes the type of the bound key. Her next renewal is challenged for
    # the new key and signed with it.
    @BKP-SUI-008
    Scenario Outline: Under <suite>, a rotation answered with an <offered type> key replaces the <held type> key
      Given the cluster runs with signature algorithm suite "<suite>"
      And a bot client "alice" with an <held type> keypair
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And "alice" joins with token "robot-token"
      And the join succeeds
      When the admin requests a keypair rotation for token "robot-token"
      And "alice" renews with token "robot-token", answering the rotation request with a new <offered type> key
      Then the join succeeds
      And the join announced signature algorithm suite "<suite>" in its ServerInit and in each of its 1 rotation request
      And the server sent 2 challenges and 1 rotation request
      And the server challenged the key "alice" offered in its rotation request
      And the token "robot-token" is bound to the <offered type> key "alice" offered
      And the audit log has a successful "join_token.bound_keypair.rotation" event for token "robot-token"
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "alice"
      And the token "robot-token" is bound to "alice"'s <offered type> key

      @BKP-SUI-008
      Examples:
        | suite       | held type   | offered type |
        | fips-v1     | ECDSA P-256 | Ed25519      |
        | balanced-v1 | Ed25519     | ECDSA P-256  |
        | legacy      | Ed25519     | ECDSA P-256  |
        | hsm-v1      | Ed25519     | ECDSA P-256  |

    # A registration is a rotation request too (the first one): under
    # fips-v1 a client registering with the secret offers an Ed25519 key.
    @BKP-SUI-008
    Scenario: Under fips-v1, a registration-secret onboarding answered with an Ed25519 key binds it
      Given the cluster runs with signature algorithm suite "fips-v1"
      And a bot client "newbot" with no keypair yet
      And a bound keypair token "secret-token" for bot "newbot"
      When "newbot" joins with token "secret-token" using the token's registration secret, offering a new Ed25519 key
      Then the join succeeds
      And the join announced signature algorithm suite "fips-v1" in its ServerInit and in each of its 1 rotation request
      And the token "secret-token" is bound to the Ed25519 key "newbot" offered
      When "newbot" renews with token "secret-token"
      Then the join succeeds
      And the server challenged the public key of "newbot"
