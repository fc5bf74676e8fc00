@CHL
Feature: A solution answers only the challenge of its own stream

  The server keeps the challenge it issued in the memory of the join stream
  that carries it, and nowhere else; it stores no nonces. A signature over
  one stream's challenge is therefore worth nothing on any other stream:
  the other stream's challenge has another nonce and, issued a second
  later, other time claims. Someone who obtains a bot's answer, by
  relaying a challenge to the bot or by reading an old answer, cannot use
  it to join.

  Which check catches a foreign answer depends on timing. The time claims
  are compared before the nonce, so:

    challenge issued in the same second    equal time claims, `invalid nonce`
    challenge issued a second later        `invalid challenge document`

  # Which path: recovery of an already-bound token (recovery mode insecure,
  # so no join state is needed; limit 10, never reached), so that the reason
  # reaches the client. Every stream is a join of the same token without a
  # certificate; the server does not serialise them.
  #
  # "In the same second" needs the suite to hold the server's clock still,
  # "a second later" needs it to move it; against a server whose clock the
  # suite cannot control, these scenarios are skipped as not applicable
  # (with a real clock either error may appear).

  Background:
    Given the suite can move the server's clock for challenge timing
    And a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | insecure                |
      | recovery.limit                | 10                      |
    And "alice" joins with token "robot-token"
    And the join succeeds

  @BKP-CHL-028 @BKP-CHL-006
  Scenario Outline: A signature over stream A's challenge does not answer stream B's, issued <when>
    When "alice" opens join stream "A" with token "robot-token" and receives its challenge
    And "alice" opens join stream "B" with token "robot-token" <when> and receives its challenge
    And "alice" answers stream "B" with its signature over the challenge of stream "A"
    Then the join is refused with the challenge error "<error>"
    And the challenges of streams "A" and "B" carry different nonces
    And nothing changed on the server
    And the audit log has a failed "join_token.bound_keypair.recovery" event for token "robot-token" saying "<error>"
    # Stream A's challenge is untouched by B's failure: the same signature
    # still answers the stream it was made for.
    When "alice" answers stream "A" with that same signature
    Then the join succeeds
    And the token "robot-token" has:
      | recovery_count | 2 |

    Examples:
      | when               | error                      |
      | in the same second | invalid nonce              |
      | one second later   | invalid challenge document |

  @BKP-CHL-028
  Scenario Outline: An answer the server already accepted cannot be replayed on a later join, <when>
    Given "alice" joins with token "robot-token" and keeps a copy of the answer the server accepted
    When "alice" joins with token "robot-token" <when> and answers with that kept answer
    Then the join is refused with the challenge error "<error>"
    And nothing changed on the server
    And the audit log has a failed "join_token.bound_keypair.recovery" event for token "robot-token" saying "<error>"
    And the audit log has a failed "bot.join" event for token "robot-token"

    Examples:
      | when               | error                      |
      | in the same second | invalid nonce              |
      | one second later   | invalid challenge document |
