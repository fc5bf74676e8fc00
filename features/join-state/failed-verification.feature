@JST @needs-join-state @needs-renewal @needs-recovery
Feature: A join state that fails verification locks the token

  When the server needs a join state (the token has counted a recovery and
  is not in `insecure` mode) and the bot presents one, the server checks it
  thoroughly:

    - it must be a compact JWS signed by a key of this cluster's
      bound_keypair CA, the one its header `kid` names;
    - its issuer and audience must be this cluster, its subject the token's
      bot (spec.bot_name);
    - its recovery_sequence must equal the token's recovery_count, and its
      bot_instance_id the bot instance the token is bound to.

  A join state that fails any of these checks is not an honest mistake: the
  key that just answered the challenge is in the hands of a client whose
  idea of the token's history differs from the server's — most likely
  because someone else joined with a copy of the key. So the join fails with
  `join state verification failed`, the server records a
  `join_token.bound_keypair.join_state_verification_failed` audit event, and
  it locks the whole token: exactly one lock, targeting only the join token,
  with no expiry and Teleport's message naming the token and its bot. Every
  later join through the token meets that lock until an administrator
  removes it (features/locks).

  All this happens only after the client has proved it holds the bound key.
  A client without the key is stopped by the challenge and can neither
  trigger a lock nor learn anything about the token.

  # The cast: the bot "robot" runs two instances. "alice" joins through
  # robot-token; "bob", another instance of the same bot, joins through
  # spare-token. Each onboarded and then recovered once, so both tokens
  # count 2 recoveries, and alice kept the join state she had before her
  # recovery. Each scenario changes one thing about the join state alice
  # presents (or about the token it is checked against) and leaves every
  # other claim right, so that one difference is what the server must catch.
  #
  # Renewals (alice presents her still-valid certificate) and recoveries
  # (she presents none) are checked alike: both verify the join state after
  # the key proof and the lock check.
  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bot client "bob" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 5                       |
      | recovery.mode                 | standard                |
    And a bound keypair token "spare-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "bob"> |
      | recovery.limit                | 5                     |
      | recovery.mode                 | standard              |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And "alice" keeps a copy of its join state as "before the recovery"
    And "alice" recovers with token "robot-token"
    And the join succeeds
    And "bob" joins with token "spare-token"
    And the join succeeds
    And "bob" recovers with token "spare-token"
    And the join succeeds

  Rule: A present but invalid join state fails the join, is audited, and locks the token exactly once

    @BKP-JST-013 @BKP-JST-014
    Scenario Outline: A <join> presenting <what> fails and locks the token
      Given <what happened>
      When "alice" <join> with token "robot-token"
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And the server sent 1 challenge and 0 rotation requests
      And the join state lockout locked token "robot-token" with the message:
        """
        The join token "robot-token" has been locked by bot "<bot>" after a client failed to verify its join state, possibly indicating a stolen keypair.
        """
      And apart from one new lock on token "robot-token" saying "failed to verify its join state", nothing changed on the server
      And the audit log has a failed join state verification event for token "robot-token" naming bot "<bot>"
      And the audit log has a failed "bot.join" event for token "robot-token"

      @BKP-JST-006 @BKP-JST-013 @BKP-JST-014
      Examples: bytes that are not a JWS at all
        | what    | what happened                                                | join     | bot   |
        | garbage | the join state "alice" holds is replaced by the bytes "asdf" | renews   | robot |
        | garbage | the join state "alice" holds is replaced by the bytes "asdf" | recovers | robot |

      # The forger copies every claim of alice's current join state and signs
      # them with its own Ed25519 key, naming that key's ID as kid: no key of
      # the bound_keypair CA has that kid.
      @BKP-JST-007 @BKP-JST-013 @BKP-JST-014
      Examples: the right claims, signed by a key the cluster does not trust
        | what                              | what happened                                                                      | join     | bot   |
        | a join state signed by a stranger | the join state "alice" holds is replaced by a copy re-signed with a key of its own | renews   | robot |
        | a join state signed by a stranger | the join state "alice" holds is replaced by a copy re-signed with a key of its own | recovers | robot |

      @BKP-JST-008 @BKP-JST-013 @BKP-JST-014
      Examples: a join state from before the latest recovery
        | what               | what happened                                                              | join     | bot   |
        | a stale join state | the join state "alice" holds is replaced by its copy "before the recovery" | renews   | robot |
        | a stale join state | the join state "alice" holds is replaced by its copy "before the recovery" | recovers | robot |

      # The realistic stale join state above also names an older bot
      # instance. Teleport's own test (standard-failure-recovery-count-
      # mismatch) isolates the counter: the current bot instance, but the
      # recovery_sequence of one recovery earlier. Only the cluster's CA can
      # sign that, through the control API's test hook.
      @BKP-JST-008 @BKP-JST-013 @BKP-JST-014 @needs-join-state-minting
      Examples: the current bot instance, but an older recovery_sequence
        | what                          | what happened                                                                                    | join     | bot   |
        | an outdated recovery_sequence | the join state "alice" holds is replaced by one the cluster's CA signed with recovery_sequence 1 | renews   | robot |
        | an outdated recovery_sequence | the join state "alice" holds is replaced by one the cluster's CA signed with recovery_sequence 1 | recovers | robot |

      # bob's join state is genuine and names the same bot and the same
      # recovery_sequence (2); only its bot instance differs.
      @BKP-JST-009 @BKP-JST-013 @BKP-JST-014
      Examples: a join state of another bot instance of the same bot
        | what                               | what happened                                                                                  | join     | bot   |
        | the join state of another instance | the join state "alice" holds is replaced by the one "bob" received through token "spare-token" | renews   | robot |
        | the join state of another instance | the join state "alice" holds is replaced by the one "bob" received through token "spare-token" | recovers | robot |

      # A real operator mistake (server notes §12.4): renaming the bot of a
      # token whose bots hold join states. alice's join state is untouched
      # and current; its subject is the old bot name. The lock message names
      # the token's bot as it is now.
      @BKP-JST-010 @BKP-JST-013 @BKP-JST-014
      Examples: the admin renamed the token's bot
        | what                                      | what happened                                                            | join     | bot      |
        | a join state issued to the bot's old name | the admin edits token "robot-token", setting spec.bot_name to "robot-v2" | renews   | robot-v2 |
        | a join state issued to the bot's old name | the admin edits token "robot-token", setting spec.bot_name to "robot-v2" | recovers | robot-v2 |

      # Only the cluster's own CA can sign these, so they come from the
      # control API's test hook (POST join-states). Every other claim is the
      # one robot-token expects now.
      @BKP-JST-011 @BKP-JST-013 @BKP-JST-014 @needs-join-state-minting
      Examples: signed by this cluster's CA, but issued for another cluster
        | what                             | what happened                                                                                       | join     | bot   |
        | a join state for another cluster | the join state "alice" holds is replaced by one the cluster's CA signed for cluster "wrong-cluster" | renews   | robot |
        | a join state for another cluster | the join state "alice" holds is replaced by one the cluster's CA signed for cluster "wrong-cluster" | recovers | robot |

      # What an agent joining through a bound keypair token holds: sub and
      # host_id are its host ID, and there is no bot_instance_id.
      @BKP-JST-012 @BKP-JST-013 @BKP-JST-014 @needs-join-state-minting
      Examples: signed by this cluster's CA for a host ID token
        | what                  | what happened                                                                               | join     | bot   |
        | an agent's join state | the join state "alice" holds is replaced by one the cluster's CA signed for a host ID token | renews   | robot |
        | an agent's join state | the join state "alice" holds is replaced by one the cluster's CA signed for a host ID token | recovers | robot |

  Rule: The join state is verified only after the key proof

    # "mallory" copied alice's certificate and join state, but not her key.
    # Whatever join state she presents, the challenge stops her first: no
    # lock, no join-state event, nothing learned about the token.
    @BKP-JST-015
    Scenario Outline: A client without the bound key is stopped by the challenge, whatever join state it presents (<what>, <join>)
      Given a bot client "mallory" holding copies of the certificate and the join state of "alice" but a keypair of its own
      And <what happened>
      When "mallory" <join> with token "robot-token", signing the challenge with its own key
      Then the join is refused with the challenge error "validating challenge response"
      And the server challenged the public key of "alice"
      And nothing changed on the server
      And exactly 0 locks target join token "robot-token"
      And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
      And the audit log has a failed "bot.join" event for token "robot-token"

      @BKP-JST-015
      Examples:
        | what                   | what happened                                                                                      | join     |
        | garbage                | the join state "mallory" holds is replaced by the bytes "asdf"                                     | renews   |
        | garbage                | the join state "mallory" holds is replaced by the bytes "asdf"                                     | recovers |
        | a stale join state     | the join state "mallory" holds is replaced by its copy "before the recovery"                       | renews   |
        | a stale join state     | the join state "mallory" holds is replaced by its copy "before the recovery"                       | recovers |
        | the current join state | the join state "mallory" holds is replaced by the one "alice" received through token "robot-token" | renews   |
        | the current join state | the join state "mallory" holds is replaced by the one "alice" received through token "robot-token" | recovers |
