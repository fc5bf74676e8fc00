@LCK @needs-lock-management
Feature: Locking a join token

  A lock is a separate resource (kind: lock) that names what it stops: a
  join token, a bot instance, a user. An administrator creates one with
  `tctl lock --join-token=<token> --message=…`, and the server creates one
  itself when a join state fails verification. While a lock targeting a
  token is in force, no join through that token succeeds — not the first
  onboarding, not a renewal, not a recovery, whatever the recovery mode.
  The refusal carries Teleport's lock error, `lock targeting … is in force`,
  followed by the lock's message, so the bot's operator learns why.

  The server checks the lock at a precise point of the join:

    - after the key proof: a client that cannot sign with the bound (or
      pre-registered) key is stopped by the challenge and never learns that
      the token is locked;
    - before the join state: a locked token does not look at the join state
      at all, so a stream of bad join states cannot create lock after lock.

  A lock ends when the administrator deletes it (`tctl rm lock/<name>`) or
  when the server's clock reaches its `expires`. It is not part of the
  token: deleting and recreating the token leaves it in force.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: While a join_token lock is in force, every join through the token fails with the lock's message

    @BKP-LCK-001
    Scenario Outline: Onboarding with a pre-registered key through a locked token in <mode> mode is refused after the challenge
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | <mode>                  |
        | recovery.limit                | 5                       |
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      When "alice" joins with token "robot-token"
      Then the join is refused by a lock with the message "robot is under investigation"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"

      @BKP-LCK-001
      Examples:
        | mode     |
        | standard |
        | relaxed  |
        | insecure |

    # The secret is checked and the new key proven before the lock; the
    # refused registration leaves the secret unused.
    @BKP-LCK-001
    Scenario: Registration with the right secret through a locked token is refused after the new key is proven
      Given a bot client "newbot" with no keypair yet
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.registration_secret | open-sesame |
      And the admin locks the join token "robot-token" with the message "not yet"
      When "newbot" joins with token "robot-token" using the registration secret "open-sesame"
      Then the join is refused by a lock with the message "not yet"
      And the server sent 1 challenge and 1 rotation request
      And nothing changed on the server
      And the token "robot-token" has:
        | registration_secret | open-sesame |
        | bound_public_key    | <unset>     |

    @needs-renewal @needs-recovery
    @BKP-LCK-001
    Scenario Outline: A <join> through a locked token in <mode> mode is refused after the challenge
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | <mode>                  |
        | recovery.limit                | 5                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      When "alice" <join> with token "robot-token"
      Then the join is refused by a lock with the message "robot is under investigation"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

      @BKP-LCK-001
      Examples:
        | join     | mode     |
        | renews   | standard |
        | recovers | standard |
        | renews   | relaxed  |
        | recovers | relaxed  |
        | renews   | insecure |
        | recovers | insecure |

  Rule: Only a client that proves the key learns that the token is locked

    @BKP-LCK-002
    Scenario: A wrong key at onboarding through a locked token gets the challenge error, not the lock
      Given a bot client "mallory" with an Ed25519 keypair
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      When "mallory" joins with token "robot-token", signing the challenge with its own key
      Then the join fails with PERMISSION_DENIED "failed to complete challenge"
      And the refusal does not mention the lock on join token "robot-token"
      And nothing changed on the server

    # "mallory" copied alice's certificate and join state, not her key.
    @BKP-LCK-002 @needs-renewal @needs-recovery
    Scenario Outline: A wrong key at <join> through a locked token gets the challenge error, not the lock
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And a bot client "mallory" holding copies of the certificate and the join state of "alice" but a keypair of its own
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      When "mallory" <join> with token "robot-token", signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the refusal does not mention the lock on join token "robot-token"
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

      Examples:
        | join     |
        | renews   |
        | recovers |

  Rule: A locked token never gets as far as the join state, so it never creates a second lock

    # The token counts two recoveries and alice kept the join state from
    # before the second: any of these join states would lock an unlocked
    # token (or, when missing, fail it). On a locked token they only meet
    # the lock — however often they are tried.
    @needs-renewal @needs-recovery @needs-join-state
    @BKP-LCK-003
    Scenario Outline: A <join> presenting <what> through a locked token meets the lock and creates no further lock
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And "alice" keeps a copy of its join state as "before the recovery"
      And "alice" recovers with token "robot-token"
      And the join succeeds
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      And <what happened>
      When "alice" <join> with token "robot-token"
      Then the join is refused by a lock with the message "robot is under investigation"
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" <join> with token "robot-token"
      Then the join is refused by a lock with the message "robot is under investigation"
      And nothing changed on the server
      And exactly 1 lock targets join token "robot-token"

      @BKP-LCK-003
      Examples:
        | what               | what happened                                                              | join     |
        | no join state      | the join state "alice" holds is discarded                                  | renews   |
        | no join state      | the join state "alice" holds is discarded                                  | recovers |
        | a stale join state | the join state "alice" holds is replaced by its copy "before the recovery" | renews   |
        | a stale join state | the join state "alice" holds is replaced by its copy "before the recovery" | recovers |
        | garbage            | the join state "alice" holds is replaced by the bytes "asdf"               | renews   |
        | garbage            | the join state "alice" holds is replaced by the bytes "asdf"               | recovers |

  Rule: A lock ends when it expires or when the admin deletes it

    # Teleport: a lock is in force only before its expires. At the instant
    # itself it no longer applies.
    @BKP-LCK-004 @needs-clock-control @needs-renewal
    Scenario: A lock with an expiry stops joins until the server's clock reaches it
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin locks the join token "robot-token" for 10 minutes with the message "maintenance window"
      When "alice" renews with token "robot-token"
      Then the join is refused by a lock with the message "maintenance window"
      And nothing changed on the server
      When the server's clock reads 1 second before the expiry of the lock on join token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join is refused by a lock with the message "maintenance window"
      And nothing changed on the server
      When the server's clock reaches the expiry of the lock on join token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 1 |

    @BKP-LCK-005 @needs-renewal @needs-recovery @needs-join-state
    Scenario: Deleting the lock lets the bot renew with its certificate and current join state
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      And "alice" renews with token "robot-token"
      And the join is refused by a lock with the message "robot is under investigation"
      When the admin removes the lock targeting join token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 1 |
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |

  Rule: A join_token lock outlives the token it names

    # [INFERRED] (server notes §5, client notes W-7): locks are resources of
    # their own; recreating the token does not remove them.
    @BKP-LCK-010
    Scenario: After the token is deleted and recreated under the same name, the old lock still stops onboarding
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the admin locks the join token "robot-token" with the message "decommissioned"
      When the admin deletes the token "robot-token"
      And the request succeeds
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      # alice restarts without its certificates: to the recreated token,
      # which has no key bound yet, that join is an onboarding.
      And "alice" recovers with token "robot-token"
      Then the join is refused by a lock with the message "decommissioned"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the token "robot-token" has:
        | recovery_count   | <unset> |
        | bound_public_key | <unset> |
      When the admin removes the lock targeting join token "robot-token"
      And "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count   | 1                       |
        | bound_public_key | <public key of "alice"> |
