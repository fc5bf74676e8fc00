@REN @needs-renewal
Feature: When a renewal is refused

  A certificate alone does not renew anything. The server checks, in this
  order (server §3 step 1, C, D):

    1. the caller's identity fits the token: a Bot join through a token bound
       to an agent's host ID is refused before any challenge
       (`cannot join with mismatched unique identifier`);
    2. the token's status is sane: a key bound without a bound bot instance
       or host is a broken backend state (`bad backend state, please
       recreate the join token`), also before any challenge;
    3. the caller proves it holds the bound key (one challenge);
    4. no lock stands against the token, the bot instance or the bot;
    5. the join state, when one is required (recovery_count above 0 and a
       mode other than insecure), is the latest one the server issued — a
       wrong one locks the token;
    6. the certificate names the bot instance bound to the token
       (`bot instance mismatch`).

  Only step 5 locks. Since Teleport 18.1.5 (#57863) step 5 comes before
  step 6: when a thief recovers with a stolen key and join state, the
  legitimate bot's next renewal presents a join state that no longer
  matches, and the token is locked, instead of the bot failing quietly with
  an instance mismatch.

  Every refusal here leaves tokens and bot instances as they were.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: a renewal must prove the bound key

    # A thief who copied the bot's certificate and join state, but not its
    # private key, cannot answer the challenge for the bound key. A renewal's
    # challenge failure is not a recovery attempt: no recovery audit event,
    # and no lock (server §3 D.1, §10; §12.1 reauth-with-wrong-key).
    @BKP-REN-007
    Scenario: A copied certificate without the bound key renews nothing
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 3                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And a bot client "mallory" holding copies of the certificate and the join state of "alice" but a keypair of its own
      When "mallory" renews with token "robot-token", signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the server challenged the public key of "alice"
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" renews with token "robot-token"
      Then the join succeeds

  Rule: the certificate must name the bot instance bound to the token

    # In insecure mode no join state is checked, so the instance check is the
    # one that speaks. The token is made to point at another instance by a
    # raw edit of its stored status (§12.1 bound-key-wrong-instance).
    @BKP-REN-008 @needs-raw-status-write
    Scenario: In insecure mode a certificate of another bot instance is refused
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | insecure                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the stored status of token "robot-token" is overwritten so that bound_bot_instance_id reads "qwerty"
      When "alice" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "bot instance mismatch"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

    # The bot recovered once (its certificates were lost, it proved its key
    # and got a new bot instance), but a copy of its first certificate
    # survived. With its latest join state — valid for the instance now
    # bound — and that old certificate, the join passes join state
    # verification and fails the instance check. Nobody is suspected of
    # anything: no lock.
    @BKP-REN-010
    Scenario: A valid join state with a certificate of a replaced bot instance is refused without a lock
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 3                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And "alice" keeps a copy of its generation-1 certificate
      And "alice" recovers with token "robot-token"
      And the join succeeds
      When "alice" renews with token "robot-token" presenting its kept generation-1 certificate
      Then the join fails with PERMISSION_DENIED "bot instance mismatch"
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"

  Rule: join state verification comes before the instance check (Teleport 18.1.5)

    # TestJoinBoundKeypair_JoinStateFailureDuringRenewal, as an operator
    # would tell it: mallory stole alice's private key and join state and
    # recovered with them — a new bot instance, recovery_count 2. Alice does
    # not know; her certificate is still valid and she renews as usual with
    # it and her (now stale) join state. Had the server checked the instance
    # first, alice would fail quietly with `bot instance mismatch` and
    # mallory would keep the token. Checking the join state first, the server
    # sees that someone else has joined since, and locks the token.
    @BKP-REN-009
    Scenario: The legitimate bot's renewal after a thief's recovery locks the token
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 3                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And a bot client "mallory" holding copies of the keypair and the join state of "alice"
      And "mallory" recovers with token "robot-token"
      And the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      When "alice" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And apart from one new lock on token "robot-token" saying "failed to verify its join state", nothing changed on the server
      And the audit log has a failed "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "mallory" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "a client failed to verify its join state"
      And nothing changed on the server

  Rule: a token whose stored status is broken or bound to an agent refuses bots before any challenge

    # A key bound but no bot instance or host bound: Teleport says the token
    # must be recreated, whatever the caller brings (§3 C; §12.1
    # bound-key-no-instance). The state takes a raw status edit.
    @BKP-REN-011 @needs-raw-status-write
    Scenario Outline: A bound key without a bound bot instance is a broken backend state (<join>)
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | insecure                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the stored status of token "robot-token" is overwritten so that bound_bot_instance_id is empty
      When "alice" <join> with token "robot-token"
      Then the join fails with INVALID_ARGUMENT "bad backend state, please recreate the join token"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

      Examples:
        | join     |
        | renews   |
        | recovers |

    # The token's status names an agent's host ID (a raw edit adds it): a bot
    # may neither renew nor recover through it (§3 step 1; §12.1
    # bot-with-bound-host-id, recovery-failure-bot-with-bound-node-id).
    @BKP-REN-012 @needs-raw-status-write
    Scenario Outline: A bot cannot join a token bound to a host ID (<join>)
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | insecure                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the stored status of token "robot-token" is overwritten so that bound_host_id reads "7f3c9a52-host"
      When "alice" <join> with token "robot-token"
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

      Examples:
        | join     |
        | renews   |
        | recovers |
