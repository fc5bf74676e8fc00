@client @STK @needs-bot-static-keys
Feature: Creating a static key

  A static key is for hosts without writable storage: a CI job, an
  ephemeral machine, a fleet that joins with one key (client notes §1.6).
  The operator makes it once, ahead of time, with
  `tbot keypair create --static --static-key-path <file>` (W-10, W-13):

    - only the private key file is written (owner-only), no `.pub` file
      and nothing in a storage directory;
    - the public key is printed for the token's `initial_public_key`;
    - run again without `--overwrite`, the existing file is kept and its
      key printed again;
    - `--format json` adds `private_key`, the standard base64 of the PEM,
      ready for `TBOT_BOUND_KEYPAIR_STATIC_KEY` (W-11).

  @BKP-STK-001
  Scenario: The bot writes only the private key file and prints its public key
    When the bot creates a static keypair
    Then the bot succeeds
    And the static key file holds the private key of the key printed by the bot
    And the static key file is readable and writable by its owner only
    And no public key file was written next to the static key file

  @BKP-STK-001 @needs-bot-tbot-layout
  Scenario: Creating a static key writes nothing to the storage directory
    When the bot creates a static keypair
    Then the bot succeeds
    And the bot's storage holds no bound keypair item

  @BKP-STK-002
  Scenario: Run again without --overwrite, the bot keeps the file and prints the same key
    Given the bot has created a static keypair
    And the static key file is noted
    When the bot creates a static keypair again
    Then the bot succeeds
    And the bot printed the same public key as the time before
    And the static key file is as noted

  @BKP-STK-003 @needs-bot-tbot-messages
  Scenario Outline: The bot says whether it <did>
    Given <before>
    When the bot creates a static keypair
    Then the bot succeeds
    And the bot's output says "<text>"

    Examples:
      | did                      | before                                   | text                                                                                                   |
      | wrote a new key          | the static key file does not exist       | A static keypair has been written to the specified static key path                                     |
      | reused the existing key  | the bot has created a static keypair     | An existing static key was found at the given path and will be printed. To generate a new key, pass --overwrite |

  @BKP-CLI-036 @needs-bot-json-output
  Scenario: With --format json the bot prints the public key and the base64 of the private key PEM
    When the bot creates a static keypair in JSON
    Then the bot succeeds
    And the bot printed one JSON object with exactly the fields "public_key" and "private_key"
    And the private_key the bot printed is the standard base64 of the static key file
    And the static key file holds the private key of the key printed by the bot

  @BKP-STK-016
  Scenario: With --overwrite the bot replaces the static key with a new one
    Given the bot has created a static keypair
    When the bot creates a static keypair with --overwrite
    Then the bot succeeds
    And the bot printed a different public key than the time before
    And the static key file holds the private key of the key printed by the bot
