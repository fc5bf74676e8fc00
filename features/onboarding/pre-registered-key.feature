@ONB
Feature: Onboarding with a pre-registered public key

  A bound keypair token starts with no key bound to it. The first successful
  join — onboarding — binds one. The simplest way: the administrator writes
  the bot's public key into the token (spec.bound_keypair.onboarding.
  initial_public_key), and the bot proves it holds the matching private key by
  signing a challenge. Onboarding counts as one recovery, starts a new bot
  instance, and returns certificates plus a signed join state that the bot
  must present on its next join.

  The pre-registered key always wins: while it is set, the server never
  looks at a registration secret and never applies the registration
  deadline (must_register_before). Until the first success the token can be
  tried any number of times; a failed attempt changes nothing.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |

  Rule: the holder of the pre-registered key onboards in one challenge

    @BKP-ONB-001 @BKP-ONB-002 @BKP-ONB-022 @BKP-ONB-027 @BKP-ONB-028 @BKP-ONB-029 @BKP-ONB-030 @BKP-ONB-036
    Scenario: A bot onboards by signing a challenge with its pre-registered key
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And every challenge named the initial public key of token "robot-token" verbatim
      And the onboarding result and the token "robot-token" both name its initial public key verbatim
      And the token "robot-token" has:
        | bound_public_key      | <public key of "alice"> |
        | recovery_count        | 1                       |
        | last_recovered_at     | <now>                   |
        | registration_secret   | <unset>                 |
        | last_rotated_at       | <unset>                 |
        | bound_bot_instance_id | <set>                   |
        | bound_host_id         | <unset>                 |
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And 1 bot instance exists for bot "robot"
      And the recovery audit event of this onboarding succeeded for token "robot-token", naming the public key of "alice" and recovery count 1

    @BKP-ONB-030 @BKP-ONB-031 @BKP-PRT-020 @BKP-PRT-021 @BKP-PRT-022 @BKP-PRT-023 @BKP-PRT-024 @BKP-PRT-025
    Scenario: Onboarding returns certificates and a join state for the new bot instance
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And "alice" received a certificate for bot "robot" issued by the cluster
      And the certificate names the bot instance bound to token "robot-token" at generation 1
      And the bot instance bound to token "robot-token" is at generation 1 and has no previous instance
      And the onboarding result names the key now bound to token "robot-token", with a join state
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | iss               | <cluster name>                        |
        | aud               | <cluster name>                        |
        | sub               | robot                                 |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
        | recovery_sequence | 1                                     |
        | recovery_limit    | 1                                     |
        | recovery_mode     | <unset>                               |
      And the onboarding join state was issued at the server's current time, valid from 10 seconds earlier

    # The key text is stored and echoed exactly as the administrator wrote it,
    # comment included: bound_public_key is a copy of initial_public_key, not
    # a re-encoding of the parsed key.
    @BKP-ONB-002 @BKP-ONB-029
    Scenario: The pre-registered key text is challenged and bound verbatim, comment included
      Given a bound keypair token "laptop-token" for bot "laptop" with:
        | onboarding.initial_public_key | <public key of "alice"> alice@laptop |
      When "alice" joins with token "laptop-token"
      Then the join succeeds
      And every challenge named the initial public key of token "laptop-token" verbatim
      And the onboarding result and the token "laptop-token" both name its initial public key verbatim

    # must_register_before limits registration secrets only (server §1.2, §4).
    @BKP-ONB-006
    Scenario: The registration deadline does not apply to a pre-registered key
      Given a bound keypair token "late-token" for bot "late" with:
        | onboarding.initial_public_key       | <public key of "alice"> |
        | onboarding.must_register_before     | <now - 1h>              |
      When "alice" joins with token "late-token"
      Then the join succeeds
      And the token "late-token" has:
        | bound_public_key | <public key of "alice"> |
        | recovery_count   | 1                       |

  Rule: only the pre-registered key can onboard, and failing costs nothing

    # The adversary does not just give up: it answers the challenge for
    # alice's key with a valid signature made by its own key.
    @BKP-ONB-003 @BKP-ONB-034 @BKP-ONB-035 @BKP-ONB-037 @BKP-PRT-026
    Scenario: A client that signs the challenge with its own key cannot onboard, and nothing changes
      Given a bot client "mallory" with an Ed25519 keypair
      When "mallory" joins with token "robot-token", signing the challenge with its own key
      Then the join fails with PERMISSION_DENIED "failed to complete challenge"
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "alice"
      And nothing changed on the server
      And 0 bot instances exist for bot "robot"
      And the recovery audit event of this onboarding failed for token "robot-token", naming the public key of "alice" and recovery count 0
      And the audit log has a failed "bot.join" event for token "robot-token"

    @BKP-ONB-004
    Scenario: A failed attempt does not use up the token
      Given a bot client "mallory" with an ECDSA P-256 keypair
      And "mallory" joins with token "robot-token", signing the challenge with its own key
      And the join fails with PERMISSION_DENIED "failed to complete challenge"
      And nothing changed on the server
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | bound_public_key | <public key of "alice"> |
        | recovery_count   | 1                       |

    # Adding initial_public_key to a token that still waits for its secret
    # switches it to the key path; the stale secret stays in the status but is
    # never consulted (server §1.5, §12.1 registration-failure-expected-key).
    @BKP-ONB-005 @BKP-ONB-034
    Scenario: With a pre-registered key, presenting the registration secret does not help
      Given a bound keypair token "switched-token" for bot "switched" with:
        | onboarding.registration_secret | correct-horse |
      And the admin applies the token:
        """
        kind: token
        version: v2
        metadata:
          name: switched-token
        spec:
          roles: [Bot]
          bot_name: switched
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
              registration_secret: correct-horse
        """
      And the request succeeds
      And the token "switched-token" has:
        | spec.bound_keypair.onboarding.initial_public_key | <public key of "alice"> |
        | registration_secret                              | correct-horse           |
      And a bot client "mallory" with an Ed25519 keypair
      When "mallory" joins with token "switched-token" using the registration secret "correct-horse", signing the challenge with its own key
      Then the join fails with PERMISSION_DENIED "failed to complete challenge"
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "alice"
      And nothing changed on the server

    # Teleport parses initial_public_key only at join time (server §1.2). The
    # notes disagree on what the client then sees: the parse error itself
    # (`parsing bound public key`) or the generic `failed to complete
    # challenge` that replaces every challenge failure on this path. Either
    # satisfies the requirement; the status code is not fixed either.
    @BKP-ONB-007 @BKP-ONB-034 @BKP-ONB-035
    Scenario Outline: A malformed pre-registered key makes onboarding fail and binds nothing
      Given a bound keypair token "broken-token" for bot "broken" with:
        | onboarding.initial_public_key | <initial key> |
      When "alice" joins with token "broken-token"
      Then the onboarding fails with an error naming "failed to complete challenge" or "parsing bound public key"
      And nothing changed on the server
      And 0 bot instances exist for bot "broken"

      Examples:
        | initial key                                   |
        | not a public key                              |
        | ssh-ed25519                                   |
        | ssh-ed25519 AAAA!not-base64!                  |
        | ssh-dss AAAAB3NzaC1kc3MAAACBAP                |
