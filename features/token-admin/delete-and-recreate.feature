@TOK
Feature: Creating over, deleting and recreating a token

  `tctl create` (without -f) refuses a name that is taken, and `tctl rm
  token/<name>` deletes a token. Deleting is final: a bot naming the token is
  turned away as if it had never existed. Deleting and creating the token
  again is also the only way to reset its status (recovery count, bound key,
  bound bot instance) in current Teleport, since applying keeps the status.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 3                       |
    And "alice" joins with token "robot-token"
    And the join succeeds

  @BKP-TOK-027
  Scenario: Creating a token under a name that is taken is refused, and the stored token is untouched
    When the admin creates the token:
      """
      kind: token
      version: v2
      metadata:
        name: robot-token
      spec:
        roles: [Bot]
        bot_name: someone-else
        join_method: bound_keypair
        bound_keypair:
          recovery:
            limit: 10
            mode: insecure
      status:
        bound_keypair:
          recovery_count: 0
      """
    Then the request is refused with status 409 naming "robot-token"
    And the refusal is an "AlreadyExists" error
    And the tokens are as they were before the request

  @BKP-TOK-028
  Scenario: Deleting a token that does not exist is refused as not found
    When the admin deletes the token "no-such-token"
    Then the request is refused with status 404 naming "no-such-token"
    And the refusal is a "NotFound" error
    And the tokens are as they were before the request

  @BKP-TOK-024
  Scenario Outline: After its token is deleted, <who> is turned away
    Given a bot client "bob" with an Ed25519 keypair
    And a bound keypair token "fresh-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "bob"> |
    When the admin deletes the token "<token>"
    Then the request succeeds
    And the token "<token>" does not exist
    And the token "<kept>" has:
      | spec.bot_name | robot |
    When "<client>" joins with token "<token>"
    Then the join through the deleted token fails with "token expired or not found"
    And nothing changed on the server
    And the audit log has no "join_token.bound_keypair.recovery" event for token "<token>"

    Examples:
      | who                               | client | token       | kept        |
      | the bot bound to it               | alice  | robot-token | fresh-token |
      | a bot whose key it pre-registered | bob    | fresh-token | robot-token |

  Rule: deleting and creating a token again gives it a fresh status

    @BKP-TOK-025
    Scenario: A recreated token has no binding, no recoveries and a new registration secret
      When the admin deletes the token "robot-token"
      Then the request succeeds
      When the admin creates the token:
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
            recovery:
              limit: 3
        """
      Then the request succeeds
      And the token "robot-token" has:
        | bound_public_key      | <unset>            |
        | bound_bot_instance_id | <unset>            |
        | recovery_count        | <unset>            |
        | last_recovered_at     | <unset>            |
        | last_rotated_at       | <unset>            |
        | registration_secret   | <64 lowercase hex> |

    # The first token's status held a secret that onboarding used up; the
    # recreated token must not bring that status back, nor reuse the secret.
    @BKP-TOK-025
    Scenario: A token recreated after secret onboarding gets a new secret and onboards as a first join
      Given a bot client "newbot" with no keypair yet
      And a bound keypair token "secret-token" for bot "robot"
      And the admin has noted the registration secret of token "secret-token"
      And "newbot" joins with token "secret-token" using the token's registration secret
      And the join succeeds
      When the admin deletes the token "secret-token"
      And the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: secret-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair: {}
        """
      Then the request succeeds
      And the token "secret-token" holds a new registration secret
      And the token "secret-token" has:
        | bound_public_key | <unset> |
        | recovery_count   | <unset> |
      Given a bot client "freshbot" with no keypair yet
      When "freshbot" joins with token "secret-token" using the token's registration secret
      Then the join succeeds
      And the token "secret-token" is bound to a new bot instance of bot "robot"
      And the token "secret-token" has:
        | recovery_count | 1 |
