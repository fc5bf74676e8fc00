@LCK @needs-lock-management @needs-renewal
Feature: Locking a bot instance, a bot, or everything issued through a token

  Besides the join token, an administrator can lock what a certificate
  names (client notes W-6):

    - one bot instance: `tctl lock --bot-instance-id=<id>` — that instance
      is stopped, but the bot may recover into a new instance if its token
      allows another recovery;
    - the whole bot: `tctl lock --user=bot-<bot>` — every instance of it;
    - a join token: every certificate issued through that token carries its
      name, so a lock on the token also stops those certificates, wherever
      they are presented.

  In Teleport these locks are enforced on every use of a certificate, by
  the cluster's authorizer. This suite asks the join service to enforce them
  too when a renewal presents such a certificate (a suite choice, see the
  catalogue notes of BKP-LCK-006, 008 and 009): a renewal refused by the
  lock, after the key proof, with the lock's message. A recovery presents no
  certificate, so only the token's own lock applies to it.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 5                       |
      | recovery.mode                 | standard                |
    And "alice" joins with token "robot-token"
    And the join succeeds

  Rule: A locked bot instance cannot renew, but the bot can recover into a new instance

    # W-6, "one instance only". The admin suspects the instance's
    # certificates, not the key: the bot restarts without them and recovers.
    @BKP-LCK-006 @BKP-LCK-007 @needs-recovery @needs-join-state
    Scenario: The admin locks a bot instance; its renewal fails, a recovery brings a new instance that renews freely
      Given the admin locks the bot instance bound to token "robot-token" with the message "instance compromised"
      When "alice" renews with token "robot-token"
      Then the join is refused by a lock with the message "instance compromised"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"
      When "alice" recovers with token "robot-token"
      Then the join succeeds
      And the token "robot-token" is bound to a new bot instance of bot "robot"
      And the token "robot-token" has:
        | recovery_count | 2 |
      And "alice" received a certificate for bot "robot" issued by the cluster
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      And exactly 0 locks target join token "robot-token"

  Rule: A lock on the bot's user stops the renewals of all its instances

    @BKP-LCK-008
    Scenario: The admin locks the user bot-robot; the bot's renewal fails
      Given the admin locks the user "bot-robot" with the message "robot retired"
      When "alice" renews with token "robot-token"
      Then the join is refused by a lock with the message "robot retired"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

    # The lock names another bot's user: it must not touch this one.
    @BKP-LCK-008
    Scenario: A lock on another bot's user does not stop this bot
      Given the admin locks the user "bot-other-robot" with the message "other robot retired"
      When "alice" renews with token "robot-token"
      Then the join succeeds

  Rule: Certificates issued through a locked token are locked wherever they are presented

    # The bot robot also has a spare token, bound to the same key (keys are
    # not unique across tokens) and in insecure mode, so it checks no join
    # state. alice presents the certificate robot-token issued her to the
    # spare token: the join names spare-token, which no lock targets, but
    # the certificate names robot-token, which is locked.
    @BKP-LCK-009
    Scenario: A certificate from a locked token is refused when renewing through another token of the same bot
      Given a bound keypair token "spare-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | insecure                |
      And a bot client "alice-spare" holding a copy of the keypair of "alice"
      And "alice-spare" joins with token "spare-token"
      And the join succeeds
      And the admin locks the join token "robot-token" with the message "robot-token leaked"
      When "alice" renews with token "spare-token"
      Then the join is refused by a lock with the message "robot-token leaked"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "spare-token"
      And exactly 0 locks target join token "spare-token"
      When "alice-spare" renews with token "spare-token"
      Then the join succeeds
