@AGT @needs-role-Instance
Feature: An agent onboards through a bound keypair token

  Bound keypair joining is not only for Machine ID bots. Since Teleport
  18.7.6 a Teleport service — an SSH node, an app or database agent — can
  join with it too. Such an agent joins with system role `Instance` through
  a token that lists the services it may run (local service roles such as
  `Node`, `App`, `Db`) and names no bot. The ceremony is the bots' one: the
  pre-registered key or the registration secret, the challenge, the join
  state. What differs is what the agent sends and gets:

    - in BoundKeypairInit it sends HostParams (its TLS and SSH public keys
      and its host name) instead of BotParams, and an empty host name is
      refused before any challenge (`HostName is required`);
    - the server mints a host ID — a new UUID — and binds it to the token
      (status.bound_keypair.bound_host_id), where a bot would get a bot
      instance. Agents have no bot instance records at all;
    - the join ends with a HostResult, not a BotResult: host certificates
      (TLS from the cluster's host CA, with system role Instance and the
      host ID; an OpenSSH host certificate whose principals include the
      host ID and the host name), the host ID, and the same bound keypair
      result as a bot's (the new join state and the bound key).

  The suite's agent clients are the suite's bot clients — a program holding
  a keypair, its latest join state and certificate — that join "as an
  agent": as system role Instance, sending HostParams with their own name as
  host name.

  # HostResult.host_id is field 2 of Teleport's joinservice.proto (0082cf8b).
  # Newer Teleport servers also return the bound keypair result in the
  # HostResult, but its field number was not seen in the sources: field 4 is
  # this suite's choice [UNVERIFIED] (reference/protocol/.../joinservice.proto).
  #
  # Teleport names a host `<host ID>.<cluster name>` in its TLS certificate;
  # the suite accepts that or the bare host ID as the certificate's CN.

  Background:
    Given a bot client "node-1" with an Ed25519 keypair

  Rule: an agent onboards with a pre-registered key or with the registration secret

    @BKP-AGT-001 @BKP-AGT-003 @BKP-AGT-015 @BKP-AGT-017
    Scenario: An SSH node onboards with the key the admin pre-registered
      Given a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
      When "node-1" joins with token "node-token" as an agent
      Then the join succeeds
      And the agent received a HostResult with a host ID, certificates and a join state
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "node-1"
      And the result names the public key of "node-1" as the bound key
      And the agent was given a new host ID, now bound to token "node-token"
      And the token "node-token" has:
        | bound_public_key      | <public key of "node-1"> |
        | bound_host_id         | <set>                    |
        | bound_bot_instance_id | <unset>                  |
        | recovery_count        | 1                        |
        | last_recovered_at     | <now>                    |
      And the agent's join left the bot instances as they were and bound no bot instance to token "node-token"
      And the agent's join recorded one successful recovery event for token "node-token" with recovery count 1 and no bot name
      And the audit log has a successful "instance.join" event for token "node-token"

    # Teleport's registration-success-node (server §12.1).
    @BKP-AGT-004 @BKP-AGT-003 @BKP-AGT-015 @BKP-AGT-017
    Scenario: An agent registers a fresh key with the token's registration secret
      Given a bound keypair token "node-token" for agents with roles [Node]
      And a bot client "node-2" with no keypair yet
      When "node-2" joins with token "node-token" as an agent using the token's registration secret
      Then the join succeeds
      And the agent received a HostResult with a host ID, certificates and a join state
      And the server sent 1 challenge and 1 rotation request
      And the server asked for a new key in the ServerInit's signature algorithm suite before sending any challenge
      And the server challenged the key "node-2" offered in its rotation request
      And the result names the public key of "node-2" as the bound key
      And the agent was given a new host ID, now bound to token "node-token"
      And the token "node-token" has:
        | bound_public_key      | <public key of "node-2"> |
        | registration_secret   | <unset>                  |
        | recovery_count        | 1                        |
        | bound_bot_instance_id | <unset>                  |
      And the agent's join left the bot instances as they were and bound no bot instance to token "node-token"
      And the agent's join recorded one successful recovery event for token "node-token" with recovery count 1 and no bot name

    # Counted from the server's own record of the join (control API feature
    # join-attempts), not only from what the suite's client saw.
    @BKP-AGT-004 @needs-join-attempts
    Scenario: The server itself sent one rotation request and one challenge to the registering agent
      Given a bound keypair token "node-token" for agents with roles [Node]
      And a bot client "node-2" with no keypair yet
      When "node-2" joins with token "node-token" as an agent using the token's registration secret
      Then the join succeeds
      And the server recorded 1 challenge and 1 rotation request in the last join through token "node-token"

    # Any local service role will do; the host ID and the result are the same.
    @BKP-AGT-001 @BKP-AGT-003
    Scenario Outline: An agent of a token with roles [<roles>] onboards and gets a HostResult
      Given a bound keypair token "agent-token" for agents with roles [<roles>] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
      When "node-1" joins with token "agent-token" as an agent
      Then the join succeeds
      And the agent received a HostResult with a host ID, certificates and a join state
      And the agent was given a new host ID, now bound to token "agent-token"

      Examples:
        | roles         |
        | App           |
        | Db            |
        | Instance, App |

  Rule: the host name is required, and checked before any challenge

    @BKP-AGT-002
    Scenario: An agent that sends no host name is refused before the ceremony
      Given a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
      When "node-1" joins with token "node-token" as an agent with an empty host name
      Then the join fails with INVALID_ARGUMENT "HostName is required"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "node-token"

  Rule: the agent's certificates are host certificates for the keys it sent

    Background:
      Given a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
      And "node-1" joins with token "node-token" as an agent
      And the join succeeds

    @BKP-AGT-013
    Scenario: The TLS certificate comes from the host CA and names the role Instance and the host ID
      Then the agent's TLS certificate was issued by the cluster's host CA for the TLS key it sent, with system role Instance and its host ID
      And the result's TLS CA certificates include the cluster's host CA

    @BKP-AGT-014
    Scenario: The SSH certificate is a host certificate for the host ID and the host name
      Then the agent's SSH certificate is a host certificate for the SSH key it sent, signed by one of the result's SSH CA keys, with its host ID and host name among the principals

    @BKP-AGT-008
    Scenario: The agent's first join state names its host, not a bot instance
      Then the agent's join state names the host ID bound to token "node-token" as sub and host_id, and no bot instance
      And the returned join state is signed by the cluster's bound_keypair CA with claims:
        | iss               | <cluster name> |
        | aud               | <cluster name> |
        | recovery_sequence | 1              |
        | bot_instance_id   | <unset>        |
        | recovery_limit    | 1              |
