@AGT @needs-role-Instance
Feature: An agent renews and recovers, keeping or replacing its host ID

  After onboarding, an agent lives like a bot. While its host certificate
  is valid it renews: it presents the certificate, proves the bound key with
  one challenge and gets new certificates for the SAME host ID. A renewal
  costs nothing and, with no keypair rotation due, does not write the token
  at all. When its certificate is gone or expired it recovers: it presents
  no certificate, proves the bound key, and — as a bot gets a new bot
  instance — gets a NEW host ID, which replaces bound_host_id, at the price
  of one recovery. The recovery limit, the recovery modes and the join state
  apply to agents exactly as to bots (server §3 D, E; §5; §8).

  An agent's join state names its host: `sub` and `host_id` are the host ID
  bound to the token, and there is no `bot_instance_id`. Its
  `recovery_sequence` follows recovery_count as a bot's does.

  Nothing an agent does creates or touches a bot instance record, and the
  recovery audit events of agent tokens name no bot (the token has no
  bot_name).

  Background:
    Given a bot client "node-1" with an Ed25519 keypair
    And a bound keypair token "node-token" for agents with roles [Node] and:
      | onboarding.initial_public_key | <public key of "node-1"> |
      | recovery.mode                 | standard                 |
      | recovery.limit                | 2                        |
    And "node-1" has completed a join with token "node-token" as an agent

  Rule: a renewal keeps the host ID and writes nothing

    @BKP-AGT-006 @BKP-AGT-015
    Scenario: An agent renews with its host certificate and keeps its host ID
      When "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the agent received a HostResult with a host ID, certificates and a join state
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "node-1"
      And the agent kept the host ID bound to token "node-token"
      And the agent's TLS certificate was issued by the cluster's host CA for the TLS key it sent, with system role Instance and its host ID
      And the renewal left token "node-token" exactly as it was, revision included
      And the agent's join left the bot instances as they were and bound no bot instance to token "node-token"
      And the audit log has no "join_token.bound_keypair.recovery" event for token "node-token"
      And the audit log has a successful "instance.join" event for token "node-token"

    @BKP-AGT-006 @needs-join-attempts
    Scenario: The server itself sent the renewing agent exactly one challenge
      When "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the server recorded 1 challenge and 0 rotation requests in the last join through token "node-token"

    @BKP-AGT-006 @BKP-AGT-008
    Scenario: Renewal after renewal, the host ID and the join state's counter stay
      When "node-1" renews with token "node-token" as an agent
      And "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the agent kept the host ID bound to token "node-token"
      And the renewal left token "node-token" exactly as it was, revision included
      And the agent's join state names the host ID bound to token "node-token" as sub and host_id, and no bot instance
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 1       |
        | bot_instance_id   | <unset> |

    # tbot-like: the agent presents its certificate while it is valid on the
    # server's clock; the certificate it holds is still valid here.
    @BKP-AGT-006
    Scenario: An agent that simply joins again while its certificate is valid renews
      When "node-1" joins with token "node-token" as an agent
      Then the join succeeds
      And the agent kept the host ID bound to token "node-token"
      And the token "node-token" has:
        | recovery_count | 1 |

  Rule: a recovery mints a new host ID and counts

    @BKP-AGT-005 @BKP-AGT-008 @BKP-AGT-015 @BKP-AGT-017
    Scenario: An agent that lost its certificate recovers with a new host ID
      When "node-1" recovers with token "node-token" as an agent
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "node-1"
      And the agent was given a new host ID, now bound to token "node-token"
      And the token "node-token" has:
        | recovery_count        | 2       |
        | last_recovered_at     | <now>   |
        | bound_bot_instance_id | <unset> |
      And the agent's join state names the host ID bound to token "node-token" as sub and host_id, and no bot instance
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | recovery_sequence | 2       |
        | bot_instance_id   | <unset> |
      And the agent's join left the bot instances as they were and bound no bot instance to token "node-token"
      And the agent's join recorded one successful recovery event for token "node-token" with recovery count 2 and no bot name

    # Teleport's recovery-success-node: the token's status, written raw
    # (feature raw-status-write), binds the agent's key and a host ID `asdf`
    # that no join produced; insecure mode, so no join state is needed.
    @BKP-AGT-005 @needs-raw-status-write
    Scenario: An agent recovers through a token bound to host "asdf" and gets a new host ID
      Given the admin edits token "node-token", setting spec.bound_keypair.recovery.mode to insecure
      And the raw status of agent token "node-token" is written as:
        | bound_public_key | <public key of "node-1"> |
        | bound_host_id    | asdf                     |
        | recovery_count   | 0                        |
      When "node-1" recovers with token "node-token" as an agent
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the agent was given a new host ID, now bound to token "node-token"
      And the token "node-token" has:
        | recovery_count        | 1       |
        | bound_bot_instance_id | <unset> |

    # After its recovery the agent renews with the certificate of its new
    # host ID, and presents the join state the recovery returned.
    @BKP-AGT-005 @BKP-AGT-006
    Scenario: After a recovery the agent renews under its new host ID
      Given "node-1" has recovered 1 time with token "node-token" as an agent
      When "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the agent kept the host ID bound to token "node-token"
      And the token "node-token" has:
        | recovery_count | 2 |

    @BKP-AGT-017
    Scenario: A failed agent recovery is audited with the unchanged count
      Given a bot client "mallory" with an Ed25519 keypair
      When "mallory" recovers with token "node-token" as an agent, signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the agent's join recorded one failed recovery event for token "node-token" with recovery count 1 and no bot name
      And the audit log has a failed "instance.join" event for token "node-token"

  Rule: agent recoveries are limited as bots' are

    # Teleport's recovery-failure-node-limit-exhausted: standard mode, count
    # 2 of limit 2, a bound host and the current join state.
    @BKP-AGT-009
    Scenario: An agent cannot recover once the limit is reached, even with the current join state
      Given "node-1" has recovered 1 time with token "node-token" as an agent
      And the token "node-token" has:
        | recovery_count | 2 |
      When "node-1" recovers with token "node-token" as an agent
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "node-token"

    @BKP-AGT-009 @needs-join-attempts
    Scenario: The server itself sent the exhausted agent exactly one challenge
      Given "node-1" has recovered 1 time with token "node-token" as an agent
      When "node-1" recovers with token "node-token" as an agent
      Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
      And the server recorded 1 challenge and 0 rotation requests in the last join through token "node-token"

    # Renewals never count, so an agent on an exhausted token keeps renewing.
    @BKP-AGT-009 @BKP-AGT-006
    Scenario: An exhausted token still renews the agent
      Given "node-1" has recovered 1 time with token "node-token" as an agent
      When "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the agent kept the host ID bound to token "node-token"

  Rule: a due rotation works for agents as for bots

    @BKP-AGT-016 @BKP-AGT-015
    Scenario: The admin requests a rotation and the agent's next renewal moves to a new key, keeping its host ID
      When the admin requests a keypair rotation for token "node-token"
      And "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the server sent 2 challenges and 1 rotation request
      And the server challenged the key "node-1" offered in its rotation request
      And the result names the public key of "node-1" as the bound key
      And the agent kept the host ID bound to token "node-token"
      And the token "node-token" has:
        | bound_public_key | <public key of "node-1"> |
        | last_rotated_at  | <now>                    |
        | recovery_count   | 1                        |
      And the agent's join left the bot instances as they were and bound no bot instance to token "node-token"
      And the audit log has a successful "join_token.bound_keypair.rotation" event for token "node-token"

    @BKP-AGT-016 @needs-join-attempts
    Scenario: The server itself sent the rotating agent two challenges and one rotation request
      When the admin requests a keypair rotation for token "node-token"
      And "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the server recorded 2 challenges and 1 rotation request in the last join through token "node-token"

    # The first challenge is for the key bound before the rotation: the
    # agent's new key must differ from it.
    @BKP-AGT-016
    Scenario: After the rotation the agent renews with its new key
      Given the admin requests a keypair rotation for token "node-token"
      And "node-1" renews with token "node-token" as an agent
      And the join succeeds
      When "node-1" renews with token "node-token" as an agent
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "node-1"
      And the agent kept the host ID bound to token "node-token"

  Rule: in insecure mode the host ID on the certificate must still be the bound one

    # With no join state to check first, the renewal reaches the host ID
    # comparison (server §3 D.4). A raw backend edit (feature
    # raw-status-write) binds the token to another host, as Teleport's own
    # rejoin tests do for bots.
    @BKP-AGT-007 @needs-raw-status-write
    Scenario: A renewal whose certificate names another host than the bound one is refused after the challenge
      Given the admin edits token "node-token", setting spec.bound_keypair.recovery.mode to insecure
      And the stored status of token "node-token" is overwritten so that bound_host_id reads "0b6c3f4e-6d0a-4f64-9a51-2f3c2a1d9e77"
      When "node-1" renews with token "node-token" as an agent
      Then the join fails with PERMISSION_DENIED "host ID mismatch"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "node-token"
