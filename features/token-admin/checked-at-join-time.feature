@TOK
Feature: What the server does not check when a token is stored

  Teleport checks the shape of a token when it is stored, but not whether its
  values make sense for a join. A typo in recovery.mode, a malformed
  pre-registered key or a registration deadline already in the past are all
  stored without complaint; they surface only when a bot tries to join. The
  server also keeps no index of keys across tokens, so two tokens may
  pre-register the same key.

  A conforming server must behave the same way: rejecting such a token early
  would be friendlier, but the administrator's tooling (and this suite)
  relies on being able to store it.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: recovery.mode is checked at join time only, and an unknown mode refuses every join

    # The notes mark store-time acceptance of an unknown mode as [INFERRED]
    # (§1.2): no check was found in Teleport. We require acceptance.
    @BKP-TOK-017
    Scenario: A token with recovery mode "bogus" is stored as written
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: bogus-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            recovery:
              limit: 2
              mode: bogus
        """
      Then the request succeeds
      And the token "bogus-token" has:
        | spec.bound_keypair.recovery.mode  | bogus              |
        | spec.bound_keypair.recovery.limit | 2                  |
        | registration_secret               | <64 lowercase hex> |

    @BKP-TOK-018
    Scenario: Onboarding with a pre-registered key fails on the mode, before any challenge
      Given a bound keypair token "bogus-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | bogus                   |
      When "alice" joins with token "bogus-token"
      Then the join fails with INVALID_ARGUMENT "invalid recovery mode: bogus"
      And the join fails with INVALID_ARGUMENT "parsing recovery mode"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "bogus-token"
      And the audit log has no "join_token.bound_keypair.recovery" event for token "bogus-token"

    @BKP-TOK-018
    Scenario: Onboarding with the right registration secret fails on the mode, before any key request
      Given a bot client "newbot" with no keypair yet
      And a bound keypair token "bogus-token" for bot "robot" with:
        | onboarding.registration_secret | right-secret |
        | recovery.mode                  | bogus        |
      When "newbot" joins with token "bogus-token" using the registration secret "right-secret"
      Then the join fails with INVALID_ARGUMENT "invalid recovery mode: bogus"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the token "bogus-token" has:
        | registration_secret | right-secret |

    # Also shows BKP-TOK-010: an edited mode applies to the very next join.
    @BKP-TOK-018 @BKP-TOK-010
    Scenario: A bound bot cannot recover once its token's mode is edited to "bogus"
      Given a bound keypair token "bogus-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "bogus-token"
      And the join succeeds
      When the admin applies the token:
        """
        kind: token
        version: v2
        metadata:
          name: bogus-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
            recovery:
              limit: 5
              mode: bogus
        """
      Then the request succeeds
      When "alice" joins with token "bogus-token"
      Then the join fails with INVALID_ARGUMENT "invalid recovery mode: bogus"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server

  Rule: the onboarding block is stored as written, however odd

    # The join then fails on the key (BKP-ONB-007); here only storage matters.
    # A malformed key still counts as "pre-registered": no secret is made.
    @BKP-TOK-019
    Scenario Outline: A token whose initial_public_key is <what> is accepted
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: odd-key-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: "<key>"
        """
      Then the request succeeds
      And the token "odd-key-token" has:
        | spec.bound_keypair.onboarding.initial_public_key | <key>   |
        | registration_secret                              | <unset> |

      Examples:
        | what                        | key                                   |
        | not a key at all            | this is not a public key              |
        | an unknown key type         | ssh-unknown AAAAB3NzaC1yc2EAAAADAQAB  |
        | a truncated Ed25519 key     | ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA  |
        | a PEM header                | -----BEGIN PUBLIC KEY-----            |

    @BKP-TOK-020
    Scenario: A registration deadline already in the past is accepted, and then refuses the secret
      Given a bot client "newbot" with no keypair yet
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: late-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              registration_secret: too-late
              must_register_before: 2020-01-01T00:00:00Z
        """
      Then the request succeeds
      And the token "late-token" has:
        | spec.bound_keypair.onboarding.must_register_before | 2020-01-01T00:00:00Z |
        | registration_secret                                | too-late             |
      When "newbot" joins with token "late-token" using the registration secret "too-late"
      Then the join fails with PERMISSION_DENIED "a valid registration secret is required"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server

    # A deadline only concerns the secret path; a pre-registered key wins over
    # a secret. None of this is cross-checked on store.
    @BKP-TOK-020
    Scenario: A key, a secret and a past deadline together are accepted, and the key still onboards
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: mixed-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
              registration_secret: never-consulted
              must_register_before: 2020-01-01T00:00:00Z
        """
      Then the request succeeds
      And the token "mixed-token" has:
        | spec.bound_keypair.onboarding.registration_secret  | never-consulted      |
        | spec.bound_keypair.onboarding.must_register_before | 2020-01-01T00:00:00Z |
        | registration_secret                                | <unset>              |
      When "alice" joins with token "mixed-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests

  Rule: keys are not unique across tokens

    @BKP-TOK-026
    Scenario: Two tokens pre-registering the same key both onboard, each with its own bot instance
      Given a bound keypair token "first-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: second-token
        spec:
          roles: [Bot]
          bot_name: other-robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
        """
      Then the request succeeds
      When "alice" joins with token "first-token"
      Then the join succeeds
      And the token "first-token" is bound to a new bot instance of bot "robot"
      Given a bot client "bob" holding a copy of the keypair of "alice"
      When "bob" joins with token "second-token"
      Then the join succeeds
      And the server challenged the public key of "bob"
      And the token "second-token" is bound to a new bot instance of bot "other-robot"
      And the token "first-token" has:
        | bound_public_key | <public key of "alice"> |
        | recovery_count   | 1                       |
      And the token "second-token" has:
        | bound_public_key | <public key of "alice"> |
        | recovery_count   | 1                       |
