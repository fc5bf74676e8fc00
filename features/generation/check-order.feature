@GEN @needs-generation-counter
Feature: The generation check comes last

  The generation is checked while the certificates are made, after every
  other check of a renewal: the challenge, the lock check, join state
  verification and the bot instance check (server §3 D, §8). Two things
  follow, and each scenario here shows both for one of those checks:

    - a renewal that fails an earlier check never reaches the generation
      check, even when it presents a stale generation: it fails for the
      earlier reason, and no generation-mismatch lock or event follows;
    - a renewal that fails an earlier check does not move the generation
      on: once the cause is gone, the same certificate renews.

  # [INFERRED] from the order of §3 and §8 (the catalogue's note on
  # BKP-GEN-008). Teleport's tests do not exercise it directly.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: with the join state required (standard mode)

    Background:
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | standard                |
        | recovery.limit                | 3                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And "alice" keeps a copy of its generation-1 certificate
      And "alice" renews with token "robot-token"
      And the join succeeds
      And the generation counter of the bot instance bound to token "robot-token" stands at 2

    @BKP-GEN-008
    Scenario: A renewal that fails the challenge neither reaches nor moves the generation
      When "alice" renews with token "robot-token" presenting its kept generation-1 certificate, signing the challenge with a stranger's key
      Then the join is refused with the challenge error "validating challenge response"
      And nothing changed on the server
      And the audit log has no "cert.generation_mismatch" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" renews with token "robot-token" presenting its current certificate, signing the challenge with a stranger's key
      Then the join is refused with the challenge error "validating challenge response"
      And the generation counter of the bot instance bound to token "robot-token" stands at 2
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the certificate names the bot instance bound to token "robot-token" at generation 3

    @BKP-GEN-008
    Scenario: A renewal stopped by a lock neither reaches nor moves the generation
      Given the admin locks the join token "robot-token" with the message "robot-token is under maintenance"
      When "alice" renews with token "robot-token" presenting its kept generation-1 certificate
      Then the join fails with PERMISSION_DENIED "robot-token is under maintenance"
      And nothing changed on the server
      And the audit log has no "cert.generation_mismatch" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" renews with token "robot-token"
      Then the join fails with PERMISSION_DENIED "robot-token is under maintenance"
      And the generation counter of the bot instance bound to token "robot-token" stands at 2
      When the admin removes the lock targeting join token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the certificate names the bot instance bound to token "robot-token" at generation 3

    # A missing join state fails verification without locking (server §7.4).
    @BKP-GEN-008
    Scenario: A renewal that fails join state verification neither reaches nor moves the generation
      When "alice" renews with token "robot-token" presenting its kept generation-1 certificate without sending its join state
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And nothing changed on the server
      And the audit log has no "cert.generation_mismatch" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" renews with token "robot-token" presenting its current certificate without sending its join state
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And the generation counter of the bot instance bound to token "robot-token" stands at 2
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the certificate names the bot instance bound to token "robot-token" at generation 3

  Rule: with no join state required (insecure mode)

    # The bot instance check, reached only when the join state is not
    # required or verifies: a raw edit points the token at another instance
    # and, later, puts the status back.
    @BKP-GEN-008 @needs-raw-status-write
    Scenario: A renewal that fails the bot instance check neither reaches nor moves the generation
      Given a bound keypair token "loose-token" for bot "loose" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | insecure                |
      And "alice" joins with token "loose-token"
      And the join succeeds
      And "alice" keeps a copy of its generation-1 certificate
      And "alice" renews with token "loose-token"
      And the join succeeds
      And the stored status of token "loose-token" is overwritten so that bound_bot_instance_id reads "qwerty"
      When "alice" renews with token "loose-token" presenting its kept generation-1 certificate
      Then the join fails with PERMISSION_DENIED "bot instance mismatch"
      And nothing changed on the server
      And the audit log has no "cert.generation_mismatch" event for token "loose-token"
      And the audit log has a failed "bot.join" event for token "loose-token"
      When "alice" renews with token "loose-token"
      Then the join fails with PERMISSION_DENIED "bot instance mismatch"
      And nothing changed on the server
      When the stored status of token "loose-token" is put back as it was
      And "alice" renews with token "loose-token"
      Then the join succeeds
      And the certificate names the bot instance bound to token "loose-token" at generation 3
