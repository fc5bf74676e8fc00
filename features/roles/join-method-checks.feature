@ROL
Feature: The join method a client asks for must be the token's

  Every provision token has one join method (spec.join_method). A client may
  say in its ClientInit which method it means to use (join_method is
  optional); if it does and the token's method is another, the server
  refuses before its ServerInit with Teleport's words `client requested join
  method <asked>, provision token only supports method <token's>`
  (BadParameter: INVALID_ARGUMENT, server §2.2 step 3). That works both
  ways: a bound keypair client cannot use a `token`-method token, and a
  client of another method cannot talk its way into a bound keypair token.

  A client that names no method gets the token's method: the ServerInit
  announces it, and the client must speak it. So a client sending a
  BoundKeypairInit to a token of another method never sees a bound keypair
  challenge.

  The generic checks run in a fixed order — look up the token, then check
  the join method, then the role — and the first that fails answers alone.
  A caller therefore learns nothing about a token it cannot name, and the
  role is never judged against a token the client cannot use.

  # Tokens of other join methods (`token` here) exist in these scenarios only
  # to be refused: the server under test need not serve those methods
  # (docs/control-api.md, capabilities.join_methods). Teleport would run the
  # `token` method and refuse the BoundKeypairInit (`expected client to send
  # message of type *messages.TokenInit`); the reference server, which
  # serves only bound_keypair, refuses after the ServerInit with
  # NotImplemented. Both are conformant: no bound keypair ceremony starts.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
    And the admin has created the token:
      """
      kind: token
      version: v2
      metadata:
        name: static-token
      spec:
        roles: [Bot]
        bot_name: robot
        join_method: token
      """

  Rule: a join method named in the ClientInit must be the token's

    @BKP-ROL-005
    Scenario Outline: A client asking for method "<method>" is refused by a bound keypair token
      When "alice" joins with token "robot-token" requesting join method "<method>"
      Then the join fails with INVALID_ARGUMENT "client requested join method <method>, provision token only supports method bound_keypair"
      And no ServerInit was sent
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "robot-token"

      Examples:
        | method |
        | token  |
        | iam    |

    @BKP-ROL-006
    Scenario: A bound keypair client is refused by a token of the `token` method
      When "alice" joins with token "static-token" requesting join method "bound_keypair"
      Then the join fails with INVALID_ARGUMENT "client requested join method bound_keypair, provision token only supports method token"
      And no ServerInit was sent
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "static-token"

    # Asking for the token's own method explicitly is just as good as not
    # asking: the join goes through.
    @BKP-ROL-005
    Scenario: A client naming bound_keypair joins a bound keypair token
      When "alice" joins with token "robot-token" requesting join method "bound_keypair"
      Then the join succeeds
      And the ServerInit announced join method "bound_keypair" and the cluster's signature algorithm suite

  Rule: without a method in the ClientInit, a token of another method never starts the ceremony

    @BKP-ROL-007
    Scenario: A bound keypair client that names no method gets no bound keypair challenge from a `token` token
      When "alice" joins with token "static-token", naming no join method in its ClientInit
      Then the join is refused with an error status and no Result
      And any ServerInit the server sent named join method "token"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has a failed "bot.join" event for token "static-token"

    # An admin switched a token from bound_keypair to `token` and left the
    # bound_keypair section behind, pre-registered key included. The token's
    # method decides: the section is dead text, no ceremony starts.
    @BKP-ROL-007
    Scenario: A `token` token that still carries a bound_keypair section starts no ceremony
      Given the admin has created the token:
        """
        kind: token
        version: v2
        metadata:
          name: switched-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: token
          bound_keypair:
            onboarding:
              initial_public_key: <public key of "alice">
            recovery:
              limit: 5
              mode: standard
        """
      When "alice" joins with token "switched-token", naming no join method in its ClientInit
      Then the join is refused with an error status and no Result
      And any ServerInit the server sent named join method "token"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And 0 bot instances exist for bot "robot"

    @BKP-ROL-007 @needs-join-attempts
    Scenario: The server itself sent no bound keypair challenge for a `token` token
      When "alice" joins with token "static-token", naming no join method in its ClientInit
      Then the join is refused with an error status and no Result
      And the server recorded 0 challenges and 0 rotation requests in the last join through token "static-token"

  Rule: token lookup, then join method, then role — the first failure answers

    # Each ClientInit fails more than one check; the refusal must be the
    # first check's, and none of the later ones may speak.
    @BKP-ROL-008
    Scenario Outline: <case>
      When a wire client opens a join stream with this ClientInit:
        | token_name  | <token>  |
        | system_role | <role>   |
        | join_method | <method> |
      Then the join fails with <status> "<error>"
      And the refusal comes from the <check> check alone
      And no ServerInit was sent
      And nothing changed on the server

      Examples:
        | case                                                             | token         | role     | method        | status            | error                                                                                    | check  |
        | an unknown token, a wrong method and a role no token allows      | no-such-token | Node     | token         | PERMISSION_DENIED | token expired or not found                                                               | lookup |
        | an unknown token, asked for as an agent with a wrong method      | no-such-token | Instance | iam           | PERMISSION_DENIED | token expired or not found                                                               | lookup |
        | a bot token, a wrong method and a role it does not list          | robot-token   | Node     | token         | INVALID_ARGUMENT  | client requested join method token, provision token only supports method bound_keypair   | method |
        | a bot token, a wrong method and Instance without a service role  | robot-token   | Instance | token         | INVALID_ARGUMENT  | client requested join method token, provision token only supports method bound_keypair   | method |
        | a `token` token asked for bound_keypair and a role it lacks      | static-token  | Instance | bound_keypair | INVALID_ARGUMENT  | client requested join method bound_keypair, provision token only supports method token   | method |
        | a bot token, the right method and a role it does not list        | robot-token   | Node     | bound_keypair | INVALID_ARGUMENT  | can not join the cluster, the token does not allow role Node                             | role   |
        | a bot token, the right method and Instance without service roles | robot-token   | Instance | bound_keypair | PERMISSION_DENIED | cannot requisition instance certs (token contains no local service roles)               | role   |
