@ROL
Feature: Which system role a bound keypair token lets a client ask for

  A client's ClientInit names the token and the system role it wants
  certificates for: `Bot` for Machine ID bots, `Instance` for a Teleport
  agent. Before it sends its ServerInit, the server checks the role against
  the token's spec.roles, with Teleport's rule (ProvisionTokenAllowsRole,
  server §2.2 step 4):

    - `Instance` needs at least one LOCAL SERVICE role on the token — Node,
      App, Db, Kube, … — and `Instance` itself need not (and alone does not)
      count. A token without one is refused with `cannot requisition
      instance certs (token contains no local service roles)`
      (AccessDenied: PERMISSION_DENIED);
    - any other role must be listed on the token, or the join is refused
      with `can not join the cluster, the token does not allow role <role>`
      (BadParameter: INVALID_ARGUMENT).

  Both refusals come before the ServerInit and change nothing.

  A role that the token lists but that is neither Bot nor Instance — `Node`
  asked for directly, say, through a token with roles [Bot, Node] — passes
  these checks: the ServerInit is sent and the whole bound keypair ceremony
  runs, challenges and all. Only when the server comes to issue
  certificates does it refuse, with `bound keypair joining only supports
  Instance and Bot system roles, client requested <role>` (NotImplemented:
  UNIMPLEMENTED). By then nothing has been written: no key bound, no
  recovery counted, no bot instance, the registration secret unspent.

  # Teleport emits its success BoundKeypairRecovery (and rotation) event on
  # the onboarding and recovery branches before the certificate step refuses
  # the role; the suite does not assert on those events here.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: Instance needs a local service role on the token

    @BKP-ROL-001
    Scenario: A bot token cannot issue agent certificates
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "robot-token" as system role "Instance"
      Then the join fails with PERMISSION_DENIED "cannot requisition instance certs (token contains no local service roles)"
      And no ServerInit was sent
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "robot-token"

    # `Instance` is a system role but not a local service role: listing it
    # alone on the token does not allow an agent to join.
    @BKP-ROL-001
    Scenario: A token whose only role is Instance lists no local service role
      Given a bound keypair token "agent-token" for agents with roles [Instance] and:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "agent-token" as an agent
      Then the join fails with PERMISSION_DENIED "cannot requisition instance certs (token contains no local service roles)"
      And no ServerInit was sent
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "agent-token"

    @BKP-ROL-002 @needs-role-Instance
    Scenario Outline: Any local service role lets an agent through: [<roles>]
      Given a bound keypair token "agent-token" for agents with roles [<roles>] and:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "agent-token" as an agent
      Then the ServerInit announced join method "bound_keypair" and the cluster's signature algorithm suite
      And the join succeeds
      And the agent received a HostResult with a host ID, certificates and a join state

      Examples:
        | roles         |
        | Node          |
        | App           |
        | Node, App     |
        | Instance, App |
        | Kube          |
        | Db            |
        | Discovery     |

  Rule: any other role must be listed on the token

    @BKP-ROL-003
    Scenario Outline: A bot token refuses the role <role>
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "robot-token" as system role "<role>"
      Then the join fails with INVALID_ARGUMENT "can not join the cluster, the token does not allow role <role>"
      And no ServerInit was sent
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "robot-token"

      Examples:
        | role  |
        | Node  |
        | Proxy |

    @BKP-ROL-003
    Scenario Outline: An agent token with roles [<roles>] refuses the role <role>
      Given a bound keypair token "agent-token" for agents with roles [<roles>] and:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "agent-token" as system role "<role>"
      Then the join fails with INVALID_ARGUMENT "can not join the cluster, the token does not allow role <role>"
      And no ServerInit was sent
      And nothing changed on the server

      Examples:
        | roles     | role |
        | Node      | Bot  |
        | Node, App | Db   |
        | Instance  | Node |

    # The refused bot is audited as a bot (bot.join), whatever the token.
    @BKP-ROL-003
    Scenario: A bot asking through an agent token is audited as a failed bot join
      Given a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "node-token" as system role "Bot"
      Then the join fails with INVALID_ARGUMENT "can not join the cluster, the token does not allow role Bot"
      And the audit log has a failed "bot.join" event for token "node-token"

  Rule: a listed role other than Bot and Instance is refused only after the ceremony

    # A token for a bot that may also run an SSH service. The client asks
    # for `Node` directly, which bound keypair joining does not serve.
    Background:
      Given the admin has created the token:
        """
        kind: token
        version: v2
        metadata:
          name: shared-token
        spec:
          roles: [Bot, Node]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
            recovery:
              mode: insecure
        """

    @BKP-ROL-004
    Scenario: An onboarding that asks for Node proves the key and is then refused
      When "alice" joins with token "shared-token" as system role "Node"
      Then the ServerInit announced join method "bound_keypair" and the cluster's signature algorithm suite
      And the join fails with UNIMPLEMENTED "bound keypair joining only supports Instance and Bot system roles, client requested Node"
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "alice"
      And nothing changed on the server
      And the token "shared-token" has:
        | bound_public_key      | <unset> |
        | recovery_count        | <unset> |
        | bound_bot_instance_id | <unset> |
        | bound_host_id         | <unset> |
      And 0 bot instances exist for bot "robot"
      And the audit log has a failed "instance.join" event for token "shared-token"

    @BKP-ROL-004 @needs-join-attempts
    Scenario: The server itself ran the challenge before refusing Node
      When "alice" joins with token "shared-token" as system role "Node"
      Then the join fails with UNIMPLEMENTED "client requested Node"
      And the server recorded 1 challenge and 0 rotation requests in the last join through token "shared-token"

    # Once the bot has onboarded, the key is bound to its bot instance. In
    # insecure mode no join state is needed, so the ceremony runs through:
    # a recovery (no certificate) or a renewal (the bot's certificate).
    @BKP-ROL-004
    Scenario Outline: A bound token still runs the <branch> for Node, then refuses it without counting
      Given "alice" has completed a join with token "shared-token"
      When "alice" <joins> with token "shared-token" as system role "Node"
      Then the join fails with UNIMPLEMENTED "bound keypair joining only supports Instance and Bot system roles, client requested Node"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And 1 bot instance exists for bot "robot"

      Examples:
        | branch   | joins    |
        | recovery | recovers |
        | renewal  | joins    |

    # With a rotation due, the exchange for the new key runs too — and the
    # new key is not bound.
    @BKP-ROL-004 @needs-join-attempts
    Scenario: With a rotation due, the refusal comes after the rotation exchange and binds no new key
      Given "alice" has completed a join with token "shared-token"
      And the admin requests a keypair rotation for token "shared-token"
      When "alice" recovers with token "shared-token" as system role "Node"
      Then the join fails with UNIMPLEMENTED "bound keypair joining only supports Instance and Bot system roles, client requested Node"
      And the server sent 2 challenges and 1 rotation request
      And the server recorded 2 challenges and 1 rotation request in the last join through token "shared-token"
      And nothing changed on the server

  Rule: the registration secret is not spent on a role that cannot be served

    @BKP-ROL-004
    Scenario: A registration that asks for Node is refused after its key exchange, and the secret stays
      Given the admin has created the token:
        """
        kind: token
        version: v2
        metadata:
          name: shared-token
        spec:
          roles: [Bot, Node]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              registration_secret: correct-horse
        """
      And a bot client "bob" with no keypair yet
      When "bob" joins with token "shared-token" as system role "Node" using the token's registration secret
      Then the join fails with UNIMPLEMENTED "bound keypair joining only supports Instance and Bot system roles, client requested Node"
      And the server sent 1 challenge and 1 rotation request
      And nothing changed on the server
      And the token "shared-token" has:
        | registration_secret | correct-horse |
        | bound_public_key    | <unset>       |
        | recovery_count      | <unset>       |
