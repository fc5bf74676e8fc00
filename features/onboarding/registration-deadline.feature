@ONB
Feature: The registration deadline (must_register_before)

  An administrator can give a registration secret a deadline:
  spec.bound_keypair.onboarding.must_register_before. A bot that presents the
  right secret after the deadline is refused with the same words as a wrong
  secret, `a valid registration secret is required`, before any key is asked
  for or challenged. Only strictly after the deadline is too late: a join at
  the deadline itself is accepted. No deadline (unset, or Go's zero time)
  means the secret never expires. The deadline never applies to a
  pre-registered key (see pre-registered-key.feature).

  These scenarios move the server's virtual clock through the control API, so
  they need a target with clock_control (tagged @needs-clock-control); the first
  one does not.

  Background:
    Given a bot client "alice" with no keypair yet

  @BKP-ONB-014 @BKP-ONB-034 @BKP-ONB-035 @BKP-ONB-039 @BKP-PRT-026 @needs-clock-control
  Scenario: A secret presented one second after the deadline is refused, and not audited as a recovery
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.registration_secret   | correct-horse |
      | onboarding.must_register_before  | <now + 1h>    |
    And 3601 seconds pass on the server's clock
    When "alice" joins with token "robot-token" using the registration secret "correct-horse"
    Then the join fails with PERMISSION_DENIED "a valid registration secret is required"
    And the server sent 0 challenges and 0 rotation requests
    And nothing changed on the server
    And 0 bot instances exist for bot "robot"
    And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"
    And the audit log has a failed "bot.join" event for token "robot-token"

  # Needs no clock control: the deadline is already over when the token is stored.
  @BKP-ONB-014 @BKP-ONB-039
  Scenario: A deadline that passed before the bot arrived refuses the right secret
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.registration_secret   | correct-horse |
      | onboarding.must_register_before  | <now - 1h>    |
    When "alice" joins with token "robot-token" using the registration secret "correct-horse"
    Then the join fails with PERMISSION_DENIED "a valid registration secret is required"
    And the server sent 0 challenges and 0 rotation requests
    And nothing changed on the server
    And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"

  @BKP-ONB-015 @needs-clock-control
  Scenario: A secret presented exactly at the deadline is accepted
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.registration_secret   | correct-horse |
      | onboarding.must_register_before  | <now + 1h>    |
    And 1 hour passes on the server's clock
    When "alice" joins with token "robot-token" using the registration secret "correct-horse"
    Then the join succeeds
    And the token "robot-token" has:
      | bound_public_key    | <public key of "alice"> |
      | registration_secret | <unset>                 |
      | last_recovered_at   | <now>                   |

  @BKP-ONB-016 @needs-clock-control
  Scenario: Without a deadline the secret stays valid however long the bot takes
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.registration_secret | correct-horse |
    And 400 days pass on the server's clock
    When "alice" joins with token "robot-token" using the registration secret "correct-horse"
    Then the join succeeds
    And the token "robot-token" has:
      | bound_public_key    | <public key of "alice"> |
      | registration_secret | <unset>                 |

  # Go's zero time.Time (0001-01-01T00:00:00Z) is how Teleport writes an
  # unset deadline, and the join treats a zero deadline as none (server §1.2:
  # "nil or zero value = no deadline"). [INFERRED] that "zero" means Go's
  # zero time and not the Unix epoch: 1970-01-01T00:00:00Z is an ordinary
  # deadline long past.
  @BKP-ONB-016 @needs-clock-control
  Scenario: A zero-time deadline means no deadline
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.registration_secret   | correct-horse        |
      | onboarding.must_register_before  | 0001-01-01T00:00:00Z |
    And 1 day passes on the server's clock
    When "alice" joins with token "robot-token" using the registration secret "correct-horse"
    Then the join succeeds

  @BKP-ONB-014
  Scenario: The Unix epoch is a deadline like any other, long past
    Given a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.registration_secret   | correct-horse        |
      | onboarding.must_register_before  | 1970-01-01T00:00:00Z |
    When "alice" joins with token "robot-token" using the registration secret "correct-horse"
    Then the join fails with PERMISSION_DENIED "a valid registration secret is required"
    And the server sent 0 challenges and 0 rotation requests
    And nothing changed on the server
