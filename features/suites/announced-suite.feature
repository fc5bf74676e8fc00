@SUI
Feature: The cluster's signature algorithm suite is announced on every join

  A Teleport cluster runs with one signature algorithm suite — `legacy`,
  `balanced-v1`, `fips-v1` or `hsm-v1` — which says what type of key each
  purpose uses. The join service tells the client the suite twice: in the
  ServerInit at the start of every join, and in every rotation request,
  where the server asks the client for a new bound key. A client that must
  generate a key (a registration-secret onboarding, or a keypair rotation)
  generates the suite's type: Ed25519 under `legacy`, `balanced-v1` and
  `hsm-v1`, ECDSA P-256 under `fips-v1`.

  The suite is a cluster setting (the cluster auth preference; `tctl edit
  cap` in Teleport), changed at run time: the next join announces the new
  suite, without a restart of the auth server. The suite is named exactly
  as Teleport spells it.

  # How a scenario comes to run under a given suite: a target already
  # running it needs nothing; otherwise the scenario switches it through
  # PATCH settings (control API feature suite-setting). For a target that
  # can do neither, the row is not applicable; BKP-PRT-003 checks the
  # suite such a target starts with.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  Rule: every ServerInit and every rotation request names the suite in force

    # Three joins, each a different way of meeting a rotation request: an
    # onboarding with a pre-registered key (no rotation request at all), a
    # rotation the admin requested (`tctl bound-keypair request-rotation`),
    # and a registration-secret onboarding on a token whose rotate_after
    # has passed, which asks for a new key twice: once to register, once to
    # rotate (server §2.2).
    @BKP-SUI-001
    Scenario Outline: Under <suite>, the ServerInit and every rotation request name "<suite>"
      Given the cluster runs with signature algorithm suite "<suite>"
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      When "alice" joins with token "robot-token"
      Then the join succeeds
      And the join announced signature algorithm suite "<suite>" in its ServerInit and in each of its 0 rotation requests
      When the admin requests a keypair rotation for token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the join announced signature algorithm suite "<suite>" in its ServerInit and in each of its 1 rotation request
      And the server challenged the key "alice" offered in its rotation request
      Given a bot client "newbot" with no keypair yet
      And a bound keypair token "secret-token" for bot "newbot" with:
        | rotate_after | <now - 1m> |
      When "newbot" joins with token "secret-token" using the token's registration secret
      Then the join succeeds
      And the join announced signature algorithm suite "<suite>" in its ServerInit and in each of its 2 rotation requests

      @BKP-SUI-001
      Examples:
        | suite       |
        | legacy      |
        | balanced-v1 |
        | fips-v1     |
        | hsm-v1      |

    # A refused join is told the suite too: the ServerInit goes out before
    # the bound keypair ceremony starts (server §2.2 generic step 5).
    @BKP-SUI-001
    Scenario Outline: Under <suite>, even a join that is then refused was told "<suite>"
      Given the cluster runs with signature algorithm suite "<suite>"
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And a bot client "mallory" with an Ed25519 keypair
      When "mallory" joins with token "robot-token", signing the challenge with its own key
      Then the join fails with PERMISSION_DENIED "failed to complete challenge"
      And the join announced signature algorithm suite "<suite>" in its ServerInit and in each of its 0 rotation requests
      And nothing changed on the server

      Examples:
        | suite       |
        | legacy      |
        | fips-v1     |

  Rule: a suite changed at run time is announced from the next join on

    # No restart: the bot that joined before the change renews with the
    # certificate it was given (so the server still knows its token, bot
    # instance and CAs), and that very next join announces the new suite.
    # Which suite a join already in flight announces in a later rotation
    # request is not specified (Teleport reads the setting when it sends
    # the message); the suite does not test it.
    @BKP-SUI-002 @needs-suite-setting
    Scenario Outline: After a switch from <from> to <to>, the next join announces "<to>"
      Given the admin switches the cluster's signature algorithm suite to "<from>"
      And a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And the join announced signature algorithm suite "<from>" in its ServerInit and in each of its 0 rotation requests
      When the admin switches the cluster's signature algorithm suite to "<to>"
      And the admin requests a keypair rotation for token "robot-token"
      And "alice" renews with token "robot-token"
      Then the join succeeds
      And the join announced signature algorithm suite "<to>" in its ServerInit and in each of its 1 rotation request
      And the certificate names the bot instance bound to token "robot-token" at generation 2
      Given a bot client "newbot" with no keypair yet
      And a bound keypair token "secret-token" for bot "newbot"
      When "newbot" joins with token "secret-token" using the token's registration secret
      Then the join succeeds
      And the join announced signature algorithm suite "<to>" in its ServerInit and in each of its 1 rotation request

      Examples:
        | from        | to          |
        | balanced-v1 | fips-v1     |
        | fips-v1     | legacy      |
        | legacy      | hsm-v1      |
        | hsm-v1      | balanced-v1 |
