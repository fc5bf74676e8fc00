@REN @needs-renewal
Feature: A bot renews its certificates with the bound key

  Bot certificates are short-lived (an hour by default). Before they run
  out, the bot joins again through the same token and presents the
  certificate it still holds. Such a join is a renewal: the server reads the
  bot instance from the certificate, challenges the key bound to the token
  once, and issues fresh certificates for the SAME bot instance.

  A renewal costs nothing. Only onboarding and recoveries (joins without a
  certificate) count against recovery.limit; a renewal leaves
  recovery_count, last_recovered_at and the bound bot instance as they were,
  creates no bot instance record and emits no recovery audit event. When no
  keypair rotation is due it does not write the token at all. The join
  state it returns names the same bot instance and recovery sequence as the
  one the bot presented (server §3 D, §5, §7.1).

  How the suite's bot behaves (as tbot does): it keeps its latest
  certificate, join state and key, and presents the certificate while it is
  still valid. "renews" makes it present the certificate it holds.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 1                       |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And "alice" keeps a copy of its generation-1 certificate

  Rule: a certificate this cluster issued makes the join a renewal

    @BKP-REN-001 @BKP-REN-003
    Scenario: A bot renews with one challenge and gets new certificates for the same bot instance
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And challenge 1 named the bound public key of token "robot-token" byte for byte
      And "alice" received a certificate for bot "robot" issued by the cluster
      And the renewed certificate is new and names the bot instance of "alice"'s kept generation-1 certificate, at generation 2
      And the certificate names the bot instance bound to token "robot-token" at generation 2
      And the result's bound public key is the key token "robot-token" is bound to
      And 1 bot instance exists for bot "robot"

    @BKP-REN-002 @BKP-REN-003 @BKP-REN-005
    Scenario: A renewal consumes no recovery and does not write the token
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the renewal left token "robot-token" exactly as it was, revision included
      And the token "robot-token" has:
        | recovery_count   | 1                       |
        | bound_public_key | <public key of "alice"> |
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
      And the audit log has a successful "bot.join" event for token "robot-token"
      And 1 bot instance exists for bot "robot"

    @BKP-REN-004
    Scenario: The renewal's join state carries on the one the bot presented
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the renewal's join state names the same bot instance and recovery sequence as the join state "alice" presented
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | sub               | robot                                 |
        | bot_instance_id   | <bound bot instance of "robot-token"> |
        | recovery_sequence | 1                                     |

    # The bot keeps renewing: each renewal presents the certificate and join
    # state the previous one returned, and none of them costs a recovery.
    @BKP-REN-002 @BKP-REN-004 @BKP-REN-005
    Scenario: Renewal after renewal, the token stays as onboarding left it
      When "alice" renews with token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the renewal left token "robot-token" exactly as it was, revision included
      And the renewal's join state names the same bot instance and recovery sequence as the join state "alice" presented
      And the certificate names the bot instance bound to token "robot-token" at generation 3
      And the token "robot-token" has:
        | recovery_count | 1 |

  Rule: renewals are not limited by recovery.limit

    # Onboarding used the only recovery (count 1, limit 1): a recovery would
    # now be refused, a renewal is not. Lowering the limit to 0 changes
    # nothing for renewals either (server §5, §12.4).
    @BKP-REN-006
    Scenario: A bot whose token has no recoveries left still renews
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 1 |
      When "alice" recovers with token "robot-token"
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"

    @BKP-REN-006
    Scenario: A bot still renews after the admin lowers the limit to 0
      Given the admin applies the token:
        """
        kind: token
        version: v2
        metadata:
          name: robot-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
            recovery:
              mode: standard
              limit: 0
        """
      And the request succeeds
      When "alice" renews with token "robot-token"
      Then the join succeeds
      And the renewal left token "robot-token" exactly as it was, revision included
      And the certificate names the bot instance bound to token "robot-token" at generation 2
      And the token "robot-token" has:
        | spec.bound_keypair.recovery.limit | 0 |
        | recovery_count                    | 1 |
