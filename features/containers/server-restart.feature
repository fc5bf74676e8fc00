@CTR @needs-container-restart
Feature: A server container restarted in the middle of a scenario loses nothing

  An auth server runs in a container, and containers get restarted: a new
  image is rolled out, the host reboots, the orchestrator moves it, the
  process is killed for using too much memory. A server that keeps its
  cluster in a durable store (the reference server: SQLite in its data
  directory) comes back with everything it had: its certificate
  authorities, so every certificate and join state issued before still
  verifies; every token with its status (the bound key, recovery_count, the
  bot instance); every bot instance record and lock; the audit log. A bot
  that joined before the restart renews after it as if nothing happened:
  with the certificate it holds, as a renewal, not a recovery.

  These scenarios need a server the suite started in a container
  (targets/reference-server.container.yaml): the launcher restarts the
  container with the same data and the same published ports. Elsewhere they
  are not applicable.

  # The reference server's virtual clock is not part of its store: a
  # restarted container starts it at real time again. These scenarios do
  # not move the clock, so nothing they check depends on it.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 1                       |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And the admin locks the user "someone-else" with the message "kept across restarts"

  @BKP-CTR-001
  Scenario: After a graceful restart the cluster is as it was, and the bot renews without a recovery
    When the server container is restarted
    Then the server holds exactly what it held before the restart: tokens, bot instances, locks, audit events and certificate authorities
    When "alice" renews with token "robot-token"
    Then the join succeeds
    And the certificate names the bot instance bound to token "robot-token" at generation 2
    And the token "robot-token" has:
      | recovery_count | 1 |
    And 1 bot instance exists for bot "robot"

  # SIGKILL gives the server no chance to flush or close anything: what a
  # join committed before the kill must already be durable.
  @BKP-CTR-002
  Scenario: After the container is killed with SIGKILL and started again, nothing committed is lost
    Given "alice" renews with token "robot-token"
    And the join succeeds
    When the server container is killed with SIGKILL and started again
    Then the server holds exactly what it held before the restart: tokens, bot instances, locks, audit events and certificate authorities
    When "alice" renews with token "robot-token"
    Then the join succeeds
    And the certificate names the bot instance bound to token "robot-token" at generation 3
    And the token "robot-token" has:
      | recovery_count | 1 |
