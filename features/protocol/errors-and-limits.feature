@PRT
Feature: How failures reach the client: gRPC status, timeout and message size

  A join that fails ends the stream with a gRPC error status: never status
  OK, never a Result. Teleport's errors carry a kind (the `trace` package),
  and the kind decides the status the client sees: AccessDenied becomes
  PERMISSION_DENIED, BadParameter INVALID_ARGUMENT, NotFound NOT_FOUND,
  NotImplemented UNIMPLEMENTED, LimitExceeded RESOURCE_EXHAUSTED,
  CompareFailed FAILED_PRECONDITION and AlreadyExists ALREADY_EXISTS.

  The message of the status contains the error text. Clients use the status
  to decide what to do next (an access denial will not go away by retrying;
  a timeout might), so a server must not collapse errors into one status.

  Two limits protect the server from clients that misbehave. A join stream
  that is not finished within the join timeout is ended with
  `join attempt timed out after <duration>, terminating the stream on the
  server` (LimitExceeded). A message larger than the server's maximum
  receive size ends the stream with RESOURCE_EXHAUSTED, and the server goes
  on serving everyone else.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |

  Rule: the error kind decides the gRPC status

    # No step of a join through the public protocol produces NotFound,
    # AlreadyExists or (short of a lost race on the token) CompareFailed, so
    # those rows of the mapping cannot be provoked from outside and are not
    # exercised here.
    @BKP-PRT-014 @BKP-PRT-015 @BKP-PRT-026
    Scenario Outline: <kind> reaches the client as <status>
      Given a bot client "mallory" with an Ed25519 keypair
      And a bound keypair token "spent-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 0                       |
        | recovery.mode                 | standard                |
      And a bound keypair token "bogus-mode-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.mode                 | bogus                   |
      When "<client>" joins with token "<token>", signing the challenge with its own key
      Then the join fails with <status> "<error>"
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "<token>" saying "<error>"

      Examples: access denied: a key other than the pre-registered one
        | kind         | client  | token       | status            | error                        |
        | AccessDenied | mallory | robot-token | PERMISSION_DENIED | failed to complete challenge |

      Examples: access denied: no recovery left (onboarding counts as one)
        | kind         | client | token       | status            | error                          |
        | AccessDenied | alice  | spent-token | PERMISSION_DENIED | no recovery attempts remaining |

      # The recovery mode is only checked at join time (storing the token
      # accepts it), so a typo surfaces here as a bad parameter.
      Examples: bad parameter: an unknown recovery mode
        | kind         | client | token            | status           | error                        |
        | BadParameter | alice  | bogus-mode-token | INVALID_ARGUMENT | invalid recovery mode: bogus |

    # A token may allow roles other than Bot; the bound keypair ceremony then
    # runs, and only issuing credentials fails, because bound keypair joining
    # serves Bot and Instance only. Before the role is known to be a bot's,
    # Teleport audits the attempt as `instance.join`, so either event type is
    # accepted.
    @BKP-PRT-014 @BKP-PRT-015
    Scenario: NotImplemented reaches the client as UNIMPLEMENTED
      Given the admin has created the token:
        """
        kind: token
        version: v2
        metadata:
          name: node-token
        spec:
          roles: [Node]
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
        """
      When "alice" joins with token "node-token" as system role "Node"
      Then the join fails with UNIMPLEMENTED "bound keypair joining only supports Instance and Bot system roles, client requested Node"
      And nothing changed on the server
      And the audit log records a failed join attempt saying "client requested Node"

  Rule: a join stream that takes too long is ended by the server

    # Teleport ends a join stream after one minute. Waiting a minute per run
    # is too slow, so the suite shortens the timeout through the control API
    # (PATCH settings, capability feature `stream-timeout-setting`; the reset
    # before every scenario restores the default). A server without that
    # feature skips this scenario. The status is RESOURCE_EXHAUSTED because
    # Teleport raises the timeout as LimitExceeded.
    @BKP-PRT-016 @BKP-PRT-014 @BKP-PRT-026
    Scenario: A client that stops talking after its ClientInit is cut off at the join timeout
      Given the join stream timeout is shortened to 1.5 seconds through the control API
      When a wire client opens a join stream with a ClientInit for token "robot-token"
      And the server answers the wire client with a ServerInit
      And the wire client stays silent until the join stream timeout has passed
      Then the join fails with RESOURCE_EXHAUSTED "join attempt timed out after 1.5s, terminating the stream on the server"
      And the server ended the stream no earlier than 1.5 seconds after it was opened
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

  Rule: an oversized message ends only the stream that sent it

    # The limit is the one the server declares in its capabilities
    # (limits.max_message_bytes; gRPC's default is 4 MiB, the reference
    # server uses 64 KiB). The suite sends a message just over it.
    @BKP-PRT-017 @BKP-PRT-014
    Scenario: An oversized first message is refused with RESOURCE_EXHAUSTED, and the next bot joins normally
      When a wire client opens a join stream with a ClientInit larger than the server's maximum message size
      Then the server refuses the oversized message with RESOURCE_EXHAUSTED
      And no ServerInit was sent
      And nothing changed on the server
      And the audit log records a failed join attempt
      And "alice" can still join with token "robot-token" right afterwards

    @BKP-PRT-017 @BKP-PRT-014
    Scenario: An oversized BoundKeypairInit is refused with RESOURCE_EXHAUSTED, and the next bot joins normally
      When a wire client opens a join stream with a ClientInit for token "robot-token"
      And the server answers the wire client with a ServerInit
      And the wire client sends a BoundKeypairInit larger than the server's maximum message size
      Then the server refuses the oversized message with RESOURCE_EXHAUSTED
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"
      And "alice" can still join with token "robot-token" right afterwards
