@AGT @needs-role-Instance
Feature: Bot and agent identities never cross

  A bound keypair token binds either a bot instance or a host, never both,
  and a caller's certificate says which of the two it is. Before any
  challenge the server compares the role asked for, the identity presented
  and the identity bound, and refuses any mix with `cannot join with
  mismatched unique identifier` (PERMISSION_DENIED, server §3 step 1):

    - an agent (role Instance) may not join a token bound to a bot
      instance, with its host certificate or without one;
    - a bot (role Bot) may not join a token bound to a host;
    - a host certificate may not be presented by a caller asking for Bot,
      nor a bot certificate by a caller asking for Instance.

  A token may list both Bot and a local service role (e.g. [Bot, Node]),
  so the first join decides what the token is bound to. Every refusal here
  happens before the ceremony: no challenge is sent and nothing changes.

  One more identity check comes later, after the challenge: a renewing
  agent's host certificate must name the host bound to the token (`host ID
  mismatch`). In modes that check the join state, a foreign agent's join
  state fails first; in `insecure` mode the host ID comparison is what
  stops it.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bot client "node-1" with an Ed25519 keypair

  Rule: an agent cannot join a token bound to a bot instance

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
      And "alice" has completed a join with token "shared-token"

    # Teleport's recovery-failure-node-with-bound-bot-id: even with the
    # bound key in hand, the agent is refused before the challenge.
    @BKP-AGT-011
    Scenario: An agent holding the bound key cannot recover through a token bound to a bot
      Given a bot client "node-2" holding a copy of the keypair of "alice"
      When "node-2" recovers with token "shared-token" as an agent
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "shared-token"

    @BKP-AGT-011
    Scenario: An agent presenting its host certificate cannot renew through a token bound to a bot
      Given a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
      And "node-1" has completed a join with token "node-token" as an agent
      When "node-1" renews with token "shared-token" as an agent
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server

    @BKP-AGT-011 @needs-join-attempts
    Scenario: The server itself sent the refused agent no challenge
      Given a bot client "node-2" holding a copy of the keypair of "alice"
      When "node-2" recovers with token "shared-token" as an agent
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server recorded 0 challenges and 0 rotation requests in the last join through token "shared-token"

  Rule: the same holds for an agent's own token once its status names a bot instance

    # Teleport's rejoin case node-with-bound-bot-instance-id: the agent's
    # own token gains a bound bot instance by a raw backend edit.
    @BKP-AGT-011 @needs-raw-status-write
    Scenario Outline: An agent's own token, edited to name a bot instance, refuses the agent (<how>)
      Given a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
        | recovery.mode                 | insecure                 |
      And "node-1" has completed a join with token "node-token" as an agent
      And the stored status of token "node-token" is overwritten so that bound_bot_instance_id reads "5d2f8f0e-bot-instance"
      When "node-1" <how> with token "node-token" as an agent
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server

      Examples:
        | how      |
        | renews   |
        | recovers |

  Rule: a bot cannot join a token bound to a host

    # Teleport's recovery-failure-bot-with-bound-node-id, reached without a
    # raw edit: an agent joined the [Bot, Node] token first.
    @BKP-REN-012
    Scenario: A bot holding the bound key cannot join a token an agent is bound to
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
              initial_public_key: <public key of "node-1">
            recovery:
              mode: insecure
        """
      And "node-1" has completed a join with token "shared-token" as an agent
      And a bot client "bot-1" holding a copy of the keypair of "node-1"
      When "bot-1" joins with token "shared-token"
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And 0 bot instances exist for bot "robot"
      And the audit log has a failed "bot.join" event for token "shared-token"

  Rule: a certificate of one kind cannot ask for the other role

    @BKP-AGT-012
    Scenario: An agent's host certificate cannot be used to join as a bot
      Given a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
      And "node-1" has completed a join with token "node-token" as an agent
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "node-1"> |
      When "node-1" joins with token "robot-token" as system role "Bot"
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

    @BKP-AGT-012
    Scenario: A bot's certificate cannot be used to join as an agent
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And "alice" has completed a join with token "robot-token"
      And a bound keypair token "node-token" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "node-token" as an agent
      Then the join fails with PERMISSION_DENIED "cannot join with mismatched unique identifier"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "node-token"

  Rule: a renewing agent's host ID must be the one bound to the token

    # Two agent tokens pre-register the same key (an admin reused a key,
    # BKP-TOK-026), each bound to its own host. In insecure mode no join
    # state is checked, so the foreign host certificate reaches the host ID
    # comparison after the challenge (server §3 D.4).
    @BKP-AGT-007
    Scenario: An agent's host certificate from another token is refused with host ID mismatch
      Given a bound keypair token "node-a" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
        | recovery.mode                 | insecure                 |
      And a bound keypair token "node-b" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
        | recovery.mode                 | insecure                 |
      And "node-1" has completed a join with token "node-a" as an agent
      And a bot client "node-2" holding a copy of the keypair of "node-1"
      And "node-2" has completed a join with token "node-b" as an agent
      When "node-1" renews with token "node-b" as an agent
      Then the join fails with PERMISSION_DENIED "host ID mismatch"
      And the server sent 1 challenge and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "instance.join" event for token "node-b"

    # The same in standard mode: the foreign agent's join state names the
    # other host and is refused first — and, as for bots, that locks the
    # token (BKP-REN-009, BKP-AGT-010).
    @BKP-AGT-007 @BKP-AGT-010 @needs-join-state
    Scenario: In standard mode the foreign agent's join state fails first and locks the token
      Given a bound keypair token "node-a" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
        | recovery.mode                 | standard                 |
        | recovery.limit                | 1                        |
      And a bound keypair token "node-b" for agents with roles [Node] and:
        | onboarding.initial_public_key | <public key of "node-1"> |
        | recovery.mode                 | standard                 |
        | recovery.limit                | 1                        |
      And "node-1" has completed a join with token "node-a" as an agent
      And a bot client "node-2" holding a copy of the keypair of "node-1"
      And "node-2" has completed a join with token "node-b" as an agent
      When "node-1" renews with token "node-b" as an agent
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And the recovery error does not say "host ID mismatch"
      And apart from one new lock on token "node-b" saying exactly 'The join token "node-b" has been locked after a client failed to verify its join state, possibly indicating a stolen keypair.', nothing changed on the server
