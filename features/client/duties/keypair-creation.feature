@client @CLI
Feature: Creating a keypair before the first join

  An operator who pre-registers the bot's key (W-2) runs, on the bot's
  host, `tbot keypair create --storage <dir> --proxy-server <proxy>`. The
  bot asks the proxy which signature algorithm suite the cluster uses
  (`GET /webapi/find`), generates a key of the suite's type, writes it to
  its storage and prints the public half for the operator to paste into
  the token's `spec.bound_keypair.onboarding.initial_public_key` (client
  notes §4.1):

    - the storage gets `id_bkp` (the private key), `id_bkp.pub` and
      `bkp_key_history.json`, but no `bkp_state`: nothing has joined yet;
    - the key is Ed25519 under `legacy`, `balanced-v1` and `hsm-v1`, ECDSA
      P-256 under `fips-v1`;
    - run again, it prints the key it already has and changes nothing,
      unless the operator passes `--overwrite`;
    - the private key never appears in the output.

  The suite's server is the proxy here: it answers `/webapi/find` with the
  suite in force, which scenarios change through the control API.

  @BKP-CLI-029 @BKP-STO-007 @BKP-STO-016 @needs-bot-tbot-layout
  Scenario: Into an empty storage, the bot writes the key, its public half and the history, and prints the key
    When the bot creates a keypair
    Then the bot succeeds
    And the bot's storage directory exists and is not writable by group or others
    And the bot's storage holds:
      | file                 | mode |
      | id_bkp               | 0600 |
      | id_bkp.pub           | 0600 |
      | bkp_key_history.json | 0600 |
    And the bot's active key is the public key printed by the bot
    And the bot's id_bkp.pub holds the active public key on one line ending in a newline
    And the bot's output does not show its private key

  @BKP-CLI-035 @needs-bot-tbot-messages
  Scenario: The text output tells the operator where the key goes, the key indented with a tab
    When the bot creates a keypair
    Then the bot succeeds
    And the bot's output says, ignoring line breaks, "To register the keypair with Teleport, include this public key in the token's 'spec.bound_keypair.onboarding.initial_public_key' field:"
    And the bot's output shows the key it printed on a line of its own, indented with a tab
    And the bot's output says "keypair has been written to storage"

  @BKP-CLI-036 @BKP-CLI-034 @needs-bot-json-output @needs-bot-tbot-layout
  Scenario: With --format json the bot prints only the public key
    When the bot creates a keypair in JSON
    Then the bot succeeds
    And the bot printed one JSON object with exactly the field "public_key"
    And the bot's active key is the public key printed by the bot
    And the bot's output does not show its private key

  @BKP-CLI-030 @BKP-STO-002
  Scenario Outline: Under <suite> the key is <type>
    Given the cluster runs with signature algorithm suite "<suite>"
    When the bot creates a keypair
    Then the bot succeeds
    And the key printed by the bot is an <type> key

    Examples:
      | suite       | type        |
      | legacy      | Ed25519     |
      | balanced-v1 | Ed25519     |
      | hsm-v1      | Ed25519     |
      | fips-v1     | ECDSA P-256 |

  @BKP-STO-002 @needs-bot-tbot-layout
  Scenario Outline: id_bkp holds a <type> key as one PKCS#8 "PRIVATE KEY" block
    Given the cluster runs with signature algorithm suite "<suite>"
    When the bot creates a keypair
    Then the bot succeeds
    And the bot's id_bkp holds one "PRIVATE KEY" PEM block

    Examples:
      | suite       | type        |
      | balanced-v1 | Ed25519     |
      | fips-v1     | ECDSA P-256 |

  @BKP-CLI-032 @needs-bot-tbot-layout
  Scenario: Run again without --overwrite, the bot changes nothing and prints the key it has
    Given the bot has created a keypair
    And the bot's storage is noted
    When the bot creates a keypair again
    Then the bot succeeds
    And the bot printed the same public key as the time before
    And the bot's storage is as noted

  @BKP-CLI-033 @needs-bot-tbot-messages
  Scenario: Run again without --overwrite, the bot says it found a key
    Given the bot has created a keypair
    When the bot creates a keypair again
    Then the bot succeeds
    And the bot's output says "Existing client state found, printing existing public key. To generate a new key, pass --overwrite"

  @BKP-CLI-045 @needs-bot-tbot-layout
  Scenario: With --overwrite the bot replaces its key with a new one
    Given the bot has created a keypair
    When the bot creates a keypair with --overwrite
    Then the bot succeeds
    And the bot printed a different public key than the time before
    And the bot's active key is the public key printed by the bot
    And the bot's id_bkp.pub holds the active public key on one line ending in a newline

  @BKP-CLI-046 @needs-bot-tbot-messages
  Scenario: With --overwrite the bot warns that it replaces its key
    Given the bot has created a keypair
    When the bot creates a keypair with --overwrite
    Then the bot succeeds
    And the bot's output says "Overwriting existing client state and generating a new keypair."

  @BKP-CLI-031 @needs-bot-tbot-layout
  Scenario: A proxy that cannot be reached stops keypair creation before anything is written
    Given the proxy address the bot is given is one where nothing listens
    When the bot creates a keypair
    Then the bot fails
    And the bot's storage holds no bound keypair item
