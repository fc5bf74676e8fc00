@client @RTY
Feature: A bot checks that it can write its storage before every join

  Whatever a join returns — a new join state, perhaps a new key, new
  certificates — the bot must keep, or its next join fails: a join state
  it could not store is stale the moment the server issues the next one.
  So tbot checks, before every renewal, that it can write to its storage,
  and when it cannot it does not join at all (client notes C-LC-7): `Cannot
  write to destination …, aborting.` A daemon reports it and tries again
  later; it renews as soon as the storage is writable again.

  These suites run as root on CI, and root ignores permission bits: the
  suite makes the directory read-only with mode 0500 and, for root, the
  immutable attribute (`chattr +i`), and checks that a write really fails
  before the bot is run.

  Background:
    Given the bot holds a keypair registered with token "robot-token" for bot "robot"

  @BKP-RTY-012
  Scenario: A one-shot run with a read-only storage fails without contacting the server
    Given the bot's storage directory is made read-only
    When the bot joins once with token "robot-token"
    Then the bot fails
    And the bot's last run did not contact the server
    And nothing changed on the server

  @BKP-RTY-013 @BKP-RTY-017 @needs-bot-tbot-messages @needs-bot-exit-codes
  Scenario: The bot says it cannot write its storage, and exits with the local_state code
    Given the bot's storage directory is made read-only
    When the bot joins once with token "robot-token"
    Then the bot fails with the local_state exit code
    And the bot's output says "Cannot write to destination"
    And the bot's output says "aborting."

  @BKP-RTY-012 @needs-bot-retry-knobs @needs-bot-reload-signal
  Scenario: A daemon whose storage turns read-only stops joining, keeps running, and renews once it can write again
    Given the bot retries after 100 milliseconds at first, doubling up to 400 milliseconds
    And the bot is running as a daemon with token "robot-token"
    And the bot's storage directory is made read-only
    When the daemon is asked to renew now
    Then no join through token "robot-token" reaches the server while the daemon retries
    And the daemon is still running
    When the bot's storage directory is made writable again
    And the daemon renews now
    Then the last join through token "robot-token" was authenticated
