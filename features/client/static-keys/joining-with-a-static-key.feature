@client @STK @needs-bot-static-keys
Feature: Joining with a static key

  A bot given a static key (`--static-key-path`, `static_private_key_path`
  in tbot.yaml, or `TBOT_BOUND_KEYPAIR_STATIC_KEY` holding the base64 of the
  PEM) treats it as immutable (client notes §1.6, §3.1):

    - it writes no bound keypair state: no `id_bkp`, no `bkp_state`, no
      history, and the key file is never touched;
    - it sends no join state and no registration secret — a secret given
      too is ignored, with a warning;
    - it answers only challenges for its own key, and refuses a rotation:
      a static key cannot change;
    - the path wins over the environment; a key that cannot be loaded is
      not used (a warning), and the bot falls back to its storage.

  Because it keeps no join state, a static key works only through a token
  in `insecure` mode (R-SK-3): there it joins as often as it likes, from a
  fresh host each time; through a `standard` token its second recovery is
  refused for want of a join state.

  Background:
    Given the bot holds a static keypair registered with token "ci-token" for bot "ci" with:
      | recovery.mode  | insecure |
      | recovery.limit | 1        |

  Rule: the key is used as it is, and nothing is written for it

    @BKP-STK-004 @BKP-STK-005 @needs-bot-tbot-layout
    Scenario: Three joins with the static key write no bound keypair state and send no join state
      Given the static key file is noted
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the last join through token "ci-token" sent no registration secret
      And the last join through token "ci-token" sent no previous join state
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the last join through token "ci-token" sent no previous join state
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the last join through token "ci-token" sent no previous join state
      And the bot's storage holds no bound keypair item
      And the static key file is as noted

    @BKP-STK-007 @needs-bot-tbot-messages
    Scenario: The bot says it uses the static key instead of its storage
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the bot's output says "A static keypair was configured and will be used instead of mutable internal key storage"

    @BKP-STK-006 @needs-bot-registration-secret-env
    Scenario: A registration secret given as well is ignored and never sent
      Given the bot's environment has TBOT_REGISTRATION_SECRET set to "a-secret-the-bot-must-not-send"
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the last join through token "ci-token" sent no registration secret

    @BKP-STK-007 @needs-bot-registration-secret-env @needs-bot-tbot-messages
    Scenario: The bot warns that it ignores the registration secret
      Given the bot's environment has TBOT_REGISTRATION_SECRET set to "a-secret-the-bot-must-not-send"
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the bot's output says "A registration secret was specified while using a static private key and will be ignored"

  Rule: the key can come from the environment; the path wins

    @BKP-STK-012
    Scenario: The static key from TBOT_BOUND_KEYPAIR_STATIC_KEY, with no path configured
      Given the bot's environment has TBOT_BOUND_KEYPAIR_STATIC_KEY set to "<the static key file in base64>"
      And the static key file does not exist
      When the bot joins once with token "ci-token"
      Then the bot succeeds
      And the last join through token "ci-token" sent no previous join state

    # The environment holds another, unregistered key: used, it would fail.
    @BKP-STK-012
    Scenario: With both set, the key at the path wins
      Given the bot's environment has TBOT_BOUND_KEYPAIR_STATIC_KEY set to "<a new Ed25519 key in base64>"
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds

  Rule: a static key that cannot be loaded is not used

    @BKP-STK-013
    Scenario Outline: A static key that <problem> is not used: with nothing in the storage the bot stops before contacting the server
      Given <damage>
      When the bot joins once <how>
      Then the bot fails
      And the bot's last run did not contact the server

      Examples:
        | problem                                       | damage                                                                               | how                                          |
        | is not base64 in TBOT_BOUND_KEYPAIR_STATIC_KEY | the bot's environment has TBOT_BOUND_KEYPAIR_STATIC_KEY set to "this is not base64!" | with token "ci-token"                        |
        | is a missing file                             | the static key file does not exist                                                   | with token "ci-token" using its static key   |
        | does not parse                                | the static key file holds "not a private key"                                       | with token "ci-token" using its static key   |

    # The fallback is real: a pre-registered key in the storage is used.
    @BKP-STK-013
    Scenario: With a broken static key in the environment, the bot joins with the key in its storage
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the bot's environment has TBOT_BOUND_KEYPAIR_STATIC_KEY set to "this is not base64!"
      When the bot joins once with token "robot-token"
      Then the bot succeeds
      And every challenge in the last join through token "robot-token" named the key bound to the token

    @BKP-STK-014 @needs-bot-tbot-messages
    Scenario Outline: The bot explains why it falls back (<problem>)
      Given <damage>
      When the bot joins once <how>
      Then the bot fails
      And the bot's output says "Could not load the configured bound keypair static key, will attempt to fall back to a standard filesystem keypair"
      And the bot's output says "<cause>"

      Examples:
        | problem      | damage                                                                               | how                                        | cause                                 |
        | bad base64   | the bot's environment has TBOT_BOUND_KEYPAIR_STATIC_KEY set to "this is not base64!" | with token "ci-token"                      | decoding private key from environment |
        | missing file | the static key file does not exist                                                   | with token "ci-token" using its static key | reading static key from               |

  Rule: a static key cannot be swapped, by anyone

    # The token is re-created for another key: the server challenges a key
    # the bot does not have.
    @BKP-STK-008
    Scenario: A challenge for another key is not answered with the static key
      Given a bot client "someone-else" with an Ed25519 keypair
      And a bound keypair token "other-token" for bot "ci" with:
        | onboarding.initial_public_key | <public key of "someone-else"> |
        | recovery.mode                 | insecure                       |
      And the static key file is noted
      When the bot joins once with token "other-token" using its static key
      Then the bot fails
      And the last join through token "other-token" had 1 challenge and 0 rotation requests
      And no challenge solution was sent in the last join through token "other-token"
      And the static key file is as noted
      And nothing changed on the server

    @BKP-STK-009 @needs-bot-tbot-messages
    Scenario: The bot says its static key is not the one the server asked for
      Given a bot client "someone-else" with an Ed25519 keypair
      And a bound keypair token "other-token" for bot "ci" with:
        | onboarding.initial_public_key | <public key of "someone-else"> |
        | recovery.mode                 | insecure                       |
      When the bot joins once with token "other-token" using its static key
      Then the bot fails
      And the bot's output says "configured static private key does match the value requested by the server, cannot continue"

    @BKP-STK-010 @needs-rotation-request
    Scenario: A rotation request is refused: no new key is sent, the token keeps its key
      Given the bot has joined once with token "ci-token" using its static key
      And the admin requests a keypair rotation for token "ci-token"
      And the static key file is noted
      When the bot joins once with token "ci-token" using its static key
      Then the bot fails
      And the last join through token "ci-token" had 1 challenge and 1 rotation request
      And no rotation response was sent in the last join through token "ci-token"
      And the token "ci-token" is still bound to the key printed by the bot
      And the static key file is as noted
      And nothing changed on the server

    @BKP-STK-011 @needs-rotation-request @needs-bot-tbot-messages
    Scenario: The bot says static keys cannot rotate
      Given the bot has joined once with token "ci-token" using its static key
      And the admin requests a keypair rotation for token "ci-token"
      When the bot joins once with token "ci-token" using its static key
      Then the bot fails
      And the bot's output says "static private keys do not support automatic rotation"

  Rule: only an insecure token lets a static key join again and again

    @BKP-STK-017
    Scenario: Through an insecure token the static key joins from a fresh host every time
      When the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      When the bot's storage directory is removed
      And the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the last join through token "ci-token" was not authenticated
      When the bot's storage directory is removed
      And the bot joins once with token "ci-token" using its static key
      Then the bot succeeds
      And the token "ci-token" has:
        | recovery_count | 3 |

    @BKP-STK-017 @needs-recovery
    Scenario: Through a standard token the second join from a fresh host is refused for want of a join state
      Given the bot holds a static keypair registered with token "std-token" for bot "ci" with:
        | recovery.mode  | standard |
        | recovery.limit | 2        |
      And the bot has joined once with token "std-token" using its static key
      And the bot's storage directory is removed
      When the bot joins once with token "std-token" using its static key
      Then the bot fails
      And the bot reports the server's error "join state verification failed"
      And nothing changed on the server
