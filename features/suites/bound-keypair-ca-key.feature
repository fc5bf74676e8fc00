@SUI @needs-suite-setting @needs-ca-rotation
Feature: The bound_keypair CA's key type follows the suite it was created under

  Join states are JWTs signed by the cluster's bound_keypair CA. The suite
  decides the type of that CA's key when the key is created: ECDSA P-256
  (JWS alg ES256) under `legacy`, `fips-v1` and `hsm-v1`, Ed25519 (EdDSA)
  under `balanced-v1`. A key is created with the cluster, and again on
  every rotation of the CA. Changing the suite creates no key: the CA keeps
  signing with the key it has until the admin rotates it.

  A CA rotation does not strand bots. The key it replaces stays trusted
  (until the rotation completes, in Teleport), and the server picks the
  key that verifies a join state by the kid in its header, whatever its
  type. So a bot holding an EdDSA join state from before a rotation to an
  ES256 key joins as usual, and is given a join state signed by the new
  key.

  GET cluster lists the CA's trusted keys as JWKs, as a client would need
  to check a join state. These scenarios rotate the CA through the control
  API's test hook (feature ca-rotation; on a real cluster, a manual
  `tctl auth rotate` of the bound_keypair CA to the phase where the new key
  signs and the old one is still trusted), and change the suite through
  PATCH settings (feature suite-setting). A rotation is part of the
  cluster's identity: it survives the reset between scenarios, so nothing
  here assumes which type of key the CA has at the start.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 3                       |
    And "alice" joins with token "robot-token"
    And the join succeeds

  Rule: a CA key created under a suite has the suite's type

    @BKP-SUI-003
    Scenario Outline: A bound_keypair CA rotation under <suite> creates a <key type> key, and join states are then signed <alg>
      Given the admin switches the cluster's signature algorithm suite to "<suite>"
      When the admin rotates the cluster's bound_keypair CA
      Then the cluster lists the bound_keypair CA key the rotation added as kty "<kty>", crv "<crv>", alg "<alg>"
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the returned join state is an "<alg>" signature by the bound_keypair CA key the rotation added
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the returned join state is an "<alg>" signature by the bound_keypair CA key the rotation added

      @BKP-SUI-003
      Examples:
        | suite       | key type    | kty | crv     | alg   |
        | legacy      | ECDSA P-256 | EC  | P-256   | ES256 |
        | balanced-v1 | Ed25519     | OKP | Ed25519 | EdDSA |
        | fips-v1     | ECDSA P-256 | EC  | P-256   | ES256 |
        | hsm-v1      | ECDSA P-256 | EC  | P-256   | ES256 |

  Rule: changing the suite alone leaves the CA's key as it is

    # Every suite in turn: whatever type of key the CA has now (earlier
    # rotations decide it), at least one row asks for the other type — and
    # must not get it. The switch itself is visible: the next join
    # announces the new suite.
    @BKP-SUI-004
    Scenario Outline: After a switch to <suite> without a CA rotation, join states keep the same kid and alg
      Given the admin notes the bound_keypair CA keys and the key that signed "alice"'s join state
      When the admin switches the cluster's signature algorithm suite to "<suite>"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the join announced signature algorithm suite "<suite>" in its ServerInit and in each of its 0 rotation requests
      And the returned join state is signed by the noted bound_keypair CA key, with the same kid and alg
      And the cluster lists exactly the noted bound_keypair CA keys
      Given a bot client "newbot" with no keypair yet
      And a bound keypair token "secret-token" for bot "newbot"
      When "newbot" joins with token "secret-token" using the token's registration secret
      Then the join succeeds
      And the returned join state is signed by the noted bound_keypair CA key, with the same kid and alg

      @BKP-SUI-004
      Examples:
        | suite       |
        | legacy      |
        | balanced-v1 |
        | fips-v1     |
        | hsm-v1      |

  Rule: a join state signed by the replaced key of the other type still verifies

    # Two rotations: the first gives the CA a key of the first suite's type,
    # which signs the join state alice keeps; the second, under a suite of
    # the other type, replaces it. alice then renews and, from her kept copy,
    # recovers — a recovery verifies the join state and would lock the token
    # if it failed.
    @BKP-SUI-005
    Scenario Outline: After a rotation from a <old alg> key to a <new alg> key, a <old alg> join state still verifies
      Given the admin switches the cluster's signature algorithm suite to "<old suite>"
      And the admin rotates the cluster's bound_keypair CA
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the returned join state is an "<old alg>" signature by the bound_keypair CA key the rotation added
      And "alice" keeps a copy of its join state as "signed by the old key"
      When the admin switches the cluster's signature algorithm suite to "<new suite>"
      And the admin rotates the cluster's bound_keypair CA
      And the join state "alice" holds is an "<old alg>" signature by a bound_keypair CA key from before the last rotation
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the returned join state is an "<new alg>" signature by the bound_keypair CA key the rotation added
      Given the join state "alice" holds is replaced by its copy "signed by the old key"
      And the join state "alice" holds is an "<old alg>" signature by a bound_keypair CA key from before the last rotation
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the returned join state is an "<new alg>" signature by the bound_keypair CA key the rotation added
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 2                                     |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
      And the token "robot-token" has:
        | recovery_count | 2 |
      And exactly 0 locks target join token "robot-token"
      And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"

      @BKP-SUI-005
      Examples:
        | old suite   | old alg | new suite   | new alg |
        | balanced-v1 | EdDSA   | fips-v1     | ES256   |
        | balanced-v1 | EdDSA   | legacy      | ES256   |
        | hsm-v1      | ES256   | balanced-v1 | EdDSA   |
        | legacy      | ES256   | balanced-v1 | EdDSA   |
