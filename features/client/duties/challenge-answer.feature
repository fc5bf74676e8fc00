@client @CLI
Feature: How a bot answers a challenge

  Every join proves the bound key: the server sends a challenge, a JSON
  document naming the key it trusts, and the bot returns a compact JWS
  whose payload is that document exactly as received — not parsed, not
  reordered, not re-encoded — signed with the matching private key
  (client notes §3.5). The protected header holds `alg`, chosen from the
  key's type (Ed25519 `EdDSA`, ECDSA P-256 `ES256`, RSA `RS256`), and
  `typ` `JWT`, and nothing else: no `kid`.

  The server's transcript keeps each solution's protected header and the
  SHA-256 of its payload (never the signature), and the SHA-256 of each
  challenge it sent, so the suite sees both without being able to replay
  anything. That the server accepted the signature shows in the join's
  success.

  @BKP-CLI-012 @BKP-CLI-013 @BKP-CLI-014
  Scenario Outline: Under <suite> a pre-registered <type> key answers with a <alg> JWS over the challenge's exact bytes
    Given the cluster runs with signature algorithm suite "<suite>"
    And the bot holds a keypair registered with token "robot-token" for bot "robot"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the key printed by the bot is an <type> key
    And every challenge solution in the last join through token "robot-token" has exactly the protected header {"alg":"<alg>","typ":"JWT"}
    And every challenge solution in the last join through token "robot-token" signed its challenge byte for byte

    Examples:
      | suite       | type        | alg   |
      | balanced-v1 | Ed25519     | EdDSA |
      | fips-v1     | ECDSA P-256 | ES256 |

  # Onboarding with a secret: the bot makes its key in the middle of the
  # join (a rotation request), then answers the challenge for it.
  @BKP-CLI-012 @BKP-CLI-013 @BKP-CLI-014
  Scenario Outline: Under <suite> a key made for a registration secret answers with a <alg> JWS over the challenge's exact bytes
    Given the cluster runs with signature algorithm suite "<suite>"
    And a bound keypair token "robot-token" for bot "robot" with:
      | recovery.mode  | standard |
      | recovery.limit | 1        |
    When the bot joins once with the registration secret of token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" had 1 challenge and 1 rotation request
    And every challenge solution in the last join through token "robot-token" has exactly the protected header {"alg":"<alg>","typ":"JWT"}
    And every challenge solution in the last join through token "robot-token" signed its challenge byte for byte

    Examples:
      | suite       | alg   |
      | balanced-v1 | EdDSA |
      | fips-v1     | ES256 |

  @BKP-CLI-012 @BKP-CLI-022
  Scenario: A renewal, over mutual TLS, signs the challenge for the bound key byte for byte
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot has joined once with token "robot-token"
    When the bot joins once with token "robot-token"
    Then the bot succeeds
    And the last join through token "robot-token" was authenticated
    And every challenge in the last join through token "robot-token" named the key bound to the token
    And every challenge solution in the last join through token "robot-token" signed its challenge byte for byte
