@PRT
Feature: What a successful join returns

  A successful bot join ends with one BotResult. It holds the bot's new
  credentials and the bound keypair result:

  - `certificates.tls_cert`: an X.509 certificate (DER) for the TLS public key
    the bot sent in its BoundKeypairInit. It names the bot (subject common
    name `bot-<bot name>`) and the bot instance the join created or renewed.
  - `certificates.ssh_cert`: an OpenSSH user certificate (SSH wire format)
    for the SSH public key the bot sent.
  - `certificates.tls_ca_certs`: the TLS certificate authorities the bot
    should trust (DER).
  - `bound_keypair_result.public_key`: the key the token is bound to at the
    end of the join (after a rotation, the new one), authorized_keys text.
  - `bound_keypair_result.join_state`: a signed document the bot keeps and
    presents, unchanged, on its next join.

  Which CA verifies what. A Teleport cluster has several certificate
  authorities. The *user CA* issues the bot's certificates (a bot is a kind
  of user); `GET cluster` lists it as `user_ca_certificates`. The *host CA*
  issues the certificates of Teleport's own servers, the join service
  included; `GET cluster` lists it as `host_ca_certificates`, and a bot needs
  it to know it is talking to the real cluster. Teleport puts both in
  `tls_ca_certs` of a bot's result (the user CA, and the host CA because bot
  certificate requests ask for it), so the bot's own certificate verifies
  against one of them (BKP-PRT-018) and the bot can verify the server with
  the same list. The join state is signed by a third authority, the
  *bound_keypair CA*, whose public keys `GET cluster` lists as
  `bound_keypair_ca_keys` (JWKs).

  The join state is a compact JWS (a JWT) with header `typ: JWT`, `alg`
  ES256 or EdDSA depending on the CA key, and `kid` the key ID of the CA key
  (Teleport's key ID: base64url SHA-256 of the key's DER). Its claims: `iss`
  and `aud` the cluster name, `sub` the bot name, `iat` the server's time of
  issue, `nbf` ten seconds before that, no `exp` (it never expires),
  `bot_instance_id`, `recovery_sequence` (the token's recovery count after
  the join), and informational copies of the token's `recovery_limit` and
  `recovery_mode`.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 3                       |
      | recovery.mode                 | standard                |
    And "alice" has completed a join with token "robot-token"

  Rule: the certificates belong to the bot and chain to the cluster

    @BKP-PRT-020
    Scenario: The TLS certificate is the bot's, issued by the cluster's user CA, for the bot instance the join created
      Then "alice" received a certificate for bot "robot" issued by the cluster
      And the certificate names the bot instance bound to token "robot-token" at generation 1

    # Known gap in the reference server: its tls_ca_certs carries only the
    # host CA, so its bot certificates do not verify against the list (see
    # the report of the protocol area). Tagged until it is fixed.
    @BKP-PRT-018
    Scenario: The TLS certificate verifies against a CA certificate of the result
      Then the result's TLS certificate verifies against one of the result's TLS CA certificates

    # The other half of the CA list: the host CA, which lets the bot check
    # that it talks to the real cluster.
    @BKP-PRT-018
    Scenario: The result's TLS CA certificates include the cluster's host CA and let the bot verify the join service
      Then the result's TLS CA certificates include the cluster's host CA
      And a TLS client trusting only the result's TLS CA certificates accepts the join service's certificate

    @BKP-PRT-019
    Scenario: The certificates certify exactly the keys the bot sent in its BoundKeypairInit
      Then the TLS certificate certifies the TLS public key the bot sent in its BoundKeypairInit
      And the SSH certificate is an OpenSSH user certificate for the SSH public key the bot sent in its BoundKeypairInit

  Rule: the bound keypair result names the bound key and carries a signed join state

    @BKP-PRT-021
    Scenario: The result names the key the token is now bound to
      Then the result carries a non-empty join state
      And the result's bound public key is the key token "robot-token" is bound to
      And the result names the public key of "alice" as the bound key

    @BKP-PRT-022
    Scenario: The join state is a JWT signed by the cluster's bound_keypair CA
      Then the join state header has typ "JWT" and names the bound_keypair CA key that signed it
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | iss | <cluster name> |

    @BKP-PRT-023
    Scenario: The join state names the cluster and the bot, was issued now, and never expires
      Then the returned join state is signed by the cluster's bound_keypair CA with claims:
        | iss | <cluster name> |
        | aud | <cluster name> |
        | sub | robot          |
      And the join state was issued at the server's time of the join, is valid from 10 seconds earlier and has no expiry

    @BKP-PRT-024
    Scenario: The join state records the bot instance and the recovery count the join committed
      Then the join state's bot_instance_id and recovery_sequence equal the status of token "robot-token"
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | bot_instance_id   | <bound bot instance of "robot-token"> |
        | recovery_sequence | 1                                     |

    @BKP-PRT-025
    Scenario: The join state copies the token's recovery limit and mode
      Then the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_limit | 3        |
        | recovery_mode  | standard |
