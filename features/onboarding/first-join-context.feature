@ONB
Feature: What the first join ignores and what it refuses

  Onboarding is the join of a token that has no key bound yet. The server
  decides this from the token, not from what the client brings:

  - A join state is the server's memory of the previous join; before the
    first join there is none, so onboarding never verifies one. Whatever the
    client sends in previous_join_state is ignored, and nothing is locked
    for it (server §3 A.7).
  - A client that presents certificates is renewing an existing identity.
    A token with no key bound has nothing to renew, so such a join is
    refused: `cannot perform first bound keypair join with existing
    credentials` (server §3 B).
  - A token with neither a pre-registered key nor a registration secret
    cannot be onboarded at all (server §3 A.4).

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: onboarding verifies no join state

    # The token has a recovery behind it (restored status, no key bound), so
    # a recovery would have to verify a join state here — onboarding must not.
    Background:
      Given a bot client "carol" with an Ed25519 keypair
      And a bound keypair token "other-token" for bot "other" with:
        | onboarding.initial_public_key | <public key of "carol"> |
      And "carol" joins with token "other-token"
      And the join succeeds
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key        | <public key of "alice"> |
        | recovery.mode                        | standard                |
        | recovery.limit                       | 3                       |
        | status.bound_keypair.recovery_count  | 1                       |

    @BKP-ONB-032
    Scenario: Garbage sent as the previous join state is ignored
      Given the join state "alice" holds is replaced by the bytes "garbage"
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And no lock was created during the join
      And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
      And the token "robot-token" has:
        | bound_public_key | <public key of "alice"> |
        | recovery_count   | 2                       |
      And the bot instance bound to token "robot-token" is at generation 1 and has no previous instance

    # A genuine, correctly signed join state — but issued for another bot's
    # instance. Had the server verified it, the join would fail and lock the
    # token; and it must not become the new instance's "previous instance".
    @BKP-ONB-032
    Scenario: Another bot's join state sent as the previous join state is ignored
      Given the join state "alice" holds is replaced by the one "carol" received through token "other-token"
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And no lock was created during the join
      And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
      And the token "robot-token" has:
        | bound_public_key | <public key of "alice"> |
        | recovery_count   | 2                       |
      And the bot instance bound to token "robot-token" is at generation 1 and has no previous instance

  Rule: a client with certificates cannot be a token's first join

    # The client holds a valid certificate of this cluster, from another
    # token, and even the key pre-registered on the new one: it is still
    # refused, because a first join must be unauthenticated.
    @BKP-ONB-033 @BKP-ONB-034 @BKP-ONB-035 @BKP-PRT-026
    Scenario: A bot that already has certificates cannot onboard a second token
      Given a bound keypair token "first-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And "alice" has completed a join with token "first-token"
      And a bound keypair token "second-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" renews with token "second-token"
      Then the join fails with INVALID_ARGUMENT "cannot perform first bound keypair join with existing credentials"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And 1 bot instance exists for bot "robot"
      And the audit log has a failed "bot.join" event for token "second-token"

  Rule: a token needs a pre-registered key or a registration secret

    # Teleport reaches this state only when the status was wiped or the
    # secret was consumed and the bound key then removed by hand (server §4).
    # Every create and apply runs populateRegistrationSecret (server §1.5),
    # which generates a secret whenever neither key is present, so no admin
    # command produces the state: the scenario edits the status raw, as
    # Teleport's own tests do (control API feature raw-status-write).
    @BKP-ONB-023 @needs-raw-status-write
    Scenario: A token with neither a pre-registered key nor a secret cannot be onboarded
      Given a bound keypair token "empty-token" for bot "robot" with neither an initial public key nor a registration secret
      When "alice" joins with token "empty-token" using the registration secret "anything"
      Then the join fails with INVALID_ARGUMENT "either an initial public key or registration secret is required"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
