@WF
Feature: Recovering a bot whose token was deleted (operator workflow W-14)

  A bot's token holds everything the server knows about the bot: the key it
  bound, how many recoveries it has counted, the bot instance it is bound
  to. Lose the token and the bot is locked out — `tctl rm` by mistake, or,
  on Teleport 18.x releases before the fix for issue #68211, `tctl create
  -f token.yaml` over the token, which replaced its status with the file's
  (empty) one.

  The bot host is intact: it still has its private key, its certificate
  and its join state. The fix needs no new key and no registration secret.
  The admin reads the bot's public key (`id_bkp.pub` in the bot's storage)
  and creates the token again under the same name, with that key as
  onboarding.initial_public_key and a recovery limit of at least 1. To the
  server this is a new token that has never been joined, so the bot's next
  join is a first join — an onboarding — that binds its key again and
  starts a new bot instance.

  One catch. A first join must come without certificates (server §3 B).
  While the bot's certificate is still valid it renews, presenting that
  certificate, and the server refuses: `cannot perform first bound keypair
  join with existing credentials`. The bot re-binds only once its
  certificate has expired (an hour by default), or once its operator
  removes the bot's certificate so that it starts over without one.

  # This suite follows the newest Teleport: applying a token
  # (`tctl create -f`, PUT tokens/{name}) keeps its status, so an overwrite
  # no longer wipes it (token-admin/apply.feature). The story is told with
  # a delete, which leaves the server in the same state an old-style
  # overwrite did: a token under the same name with an empty status.
  #
  # Why the bot's join state does not get in the way. The notes explain the
  # re-bind by the recovery count restarting at 0, so that no join state is
  # required (client notes W-14, R-JS-4). In fact the recreated token has no
  # bound key at all, so the re-bind is an onboarding, and onboarding never
  # verifies a join state (BKP-ONB-032): the bot's old join state, which
  # names the deleted token's bot instance, is sent and ignored. The case the
  # notes describe — a recovery through a token with a key bound but no
  # recovery counted (BKP-JST-004) — is in recovery/recovering-a-bot.feature.
  #
  # [UNCERTAIN in the notes, derived from Teleport's handler] the refusal
  # while the certificate is valid, and the immediate re-bind once the
  # certificate is removed. The suite requires both.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 3                       |
    And "alice" joins with token "robot-token"
    And the join succeeds
    And "alice" keeps a copy of its join state as "from the deleted token"

  @BKP-TOK-024 @BKP-TOK-025 @BKP-ONB-033 @BKP-ONB-001 @BKP-ONB-032 @BKP-REC-013 @needs-clock-control
  Scenario: The admin recreates the deleted token with the bot's public key, and the bot re-binds once its certificate has expired
    # The accident: the token is gone, and the bot with it.
    When the admin deletes the token "robot-token"
    Then the request succeeds
    When "alice" joins with token "robot-token"
    Then the join through the deleted token fails with "token expired or not found"
    And nothing changed on the server
    # The fix: the same name, the bot's public key, a recovery limit of 1 or
    # more. The new token starts from nothing: no key bound, no recovery
    # counted, no bot instance — and no registration secret, since the key
    # is pre-registered.
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
          onboarding:
            initial_public_key: <public key of "alice">
          recovery:
            mode: standard
            limit: 3
      """
    Then the request succeeds
    And the token "robot-token" has:
      | spec.bound_keypair.onboarding.initial_public_key | <public key of "alice"> |
      | bound_public_key                                 | <unset>                 |
      | bound_bot_instance_id                            | <unset>                 |
      | recovery_count                                   | <unset>                 |
      | last_recovered_at                                | <unset>                 |
      | registration_secret                              | <unset>                 |
    # The catch: alice's certificate is still valid, so she renews with it,
    # and a first join may not present one.
    When "alice" joins with token "robot-token"
    Then the join fails with INVALID_ARGUMENT "cannot perform first bound keypair join with existing credentials"
    And the server sent 0 challenges and 0 rotation requests
    And nothing changed on the server
    And the audit log has a failed "bot.join" event for token "robot-token"
    # An hour later her certificate has expired: she joins without it, and
    # her key is bound again. She still sends the join state the deleted
    # token gave her; an onboarding ignores it.
    Given "alice" stays offline until its certificate has expired
    When "alice" joins with token "robot-token"
    Then the join succeeds
    And "alice" sent its kept join state "from the deleted token" in that join
    And the server sent 1 challenge and 0 rotation requests
    And every challenge named the initial public key of token "robot-token" verbatim
    And the token "robot-token" has:
      | bound_public_key  | <public key of "alice"> |
      | recovery_count    | 1                       |
      | last_recovered_at | <now>                   |
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And the bot instance bound to token "robot-token" is at generation 1 and has no previous instance
    And no lock was created during the join
    And the audit log has no "join_token.bound_keypair.join_state_verification_failed" event for token "robot-token"
    And 2 bot instances exist for bot "robot"
    And the returned join state is signed by the cluster's bound_keypair CA with claims:
      | sub               | robot                                 |
      | bot_instance_id   | <bound bot instance of "robot-token"> |
      | recovery_sequence | 1                                     |
    # From here on alice is an ordinary bot again: she renews with her new
    # certificate, and when she next stays offline too long she recovers
    # with the join state the recreated token gave her.
    When "alice" joins with token "robot-token"
    Then the join succeeds
    And the certificate names the bot instance bound to token "robot-token" at generation 2
    And the token "robot-token" has:
      | recovery_count | 1 |
    Given "alice" stays offline until its certificate has expired
    When "alice" joins with token "robot-token"
    Then the join succeeds
    And the token "robot-token" has:
      | recovery_count | 2 |
    And the recovered bot instance of token "robot-token" names, as its previous instance, the one in the join state "alice" presented
    And exactly 0 locks target join token "robot-token"

  # The quicker way: rather than wait for the certificate to expire, the
  # bot's operator removes it (tbot: delete the bot's identity from its
  # storage, keeping the key and the join state) and restarts the bot.
  @BKP-TOK-025 @BKP-ONB-033 @BKP-ONB-032
  Scenario: Once the bot's certificate is removed, it re-binds to the recreated token at once
    Given the admin deletes the token "robot-token"
    And the admin creates the token:
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
          onboarding:
            initial_public_key: <public key of "alice">
      """
    And the request succeeds
    When "alice" renews with token "robot-token"
    Then the join fails with INVALID_ARGUMENT "cannot perform first bound keypair join with existing credentials"
    And nothing changed on the server
    And the audit log has a failed "bot.join" event for token "robot-token"
    Given "alice" has lost its certificate but kept its key and join state
    When "alice" joins with token "robot-token"
    Then the join succeeds
    And "alice" sent its kept join state "from the deleted token" in that join
    And the token "robot-token" has:
      | bound_public_key | <public key of "alice"> |
      | recovery_count   | 1                       |
    And the token "robot-token" is bound to a new bot instance of bot "robot"
    And no lock was created during the join
    When "alice" joins with token "robot-token"
    Then the join succeeds
    And the certificate names the bot instance bound to token "robot-token" at generation 2

  # Why "a limit of at least 1": onboarding counts as a recovery. A
  # recovery block written without a limit keeps limit 0 (only a missing
  # block defaults to 1), and a standard-mode token with limit 0 refuses
  # even its first join. Raising the limit with `tctl edit` fixes it.
  @BKP-TOK-002 @BKP-ONB-025
  Scenario: A token recreated with a recovery block but no limit refuses the re-bind until the admin raises the limit
    Given the admin deletes the token "robot-token"
    And the admin creates the token:
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
          onboarding:
            initial_public_key: <public key of "alice">
          recovery:
            mode: standard
      """
    And the request succeeds
    And the token "robot-token" has:
      | spec.bound_keypair.recovery.limit | 0 |
    And "alice" has lost its certificate but kept its key and join state
    When "alice" joins with token "robot-token"
    Then the join fails with PERMISSION_DENIED "no recovery attempts remaining"
    And the server sent 0 challenges and 0 rotation requests
    And nothing changed on the server
    And the audit log has a failed "bot.join" event for token "robot-token"
    When the admin edits token "robot-token", setting recovery.limit to 1
    And "alice" joins with token "robot-token"
    Then the join succeeds
    And the token "robot-token" has:
      | bound_public_key | <public key of "alice"> |
      | recovery_count   | 1                       |
