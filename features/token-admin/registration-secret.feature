@TOK
Feature: The registration secret a stored token receives

  A bot that has no key registered in advance onboards with a registration
  secret. The join compares the secret the bot sends with the copy in the
  token's STATUS (status.bound_keypair.registration_secret), never with the
  spec. So every time a bound_keypair token is stored, the server decides what
  that status copy is:

    1. a key is already bound (status.bound_public_key) or pre-registered
       (spec...onboarding.initial_public_key): no secret at all;
    2. the status already holds a secret: it is kept;
    3. the administrator chose one (spec...onboarding.registration_secret):
       it is copied;
    4. otherwise the server generates one: 32 random bytes, 64 lowercase hex.

  The administrator reads it back with `tctl get token/<name> --with-secrets`
  and hands it to the bot.

  Background:
    Given a bot client "alice" with an Ed25519 keypair

  @BKP-TOK-005
  Scenario: A token with neither a key nor a secret receives a generated secret that onboards a bot
    Given a bot client "newbot" with no keypair yet
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
          recovery:
            limit: 2
            mode: standard
      """
    Then the request succeeds
    And the token "robot-token" has:
      | registration_secret | <64 lowercase hex> |
      | bound_public_key    | <unset>            |
    When "newbot" joins with token "robot-token" using the token's registration secret
    Then the join succeeds

  @BKP-TOK-006
  Scenario: Two tokens created the same way receive different secrets
    Given a bound keypair token "first-token" for bot "robot"
    And a bound keypair token "second-token" for bot "robot"
    Then the token "first-token" has:
      | registration_secret | <64 lowercase hex> |
    And the token "second-token" has:
      | registration_secret | <64 lowercase hex> |
    And the tokens "first-token" and "second-token" have different registration secrets

  @BKP-TOK-007
  Scenario: A secret the administrator chose is copied into the status, and onboards a bot
    Given a bot client "newbot" with no keypair yet
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
            registration_secret: Correct-Horse-Battery-Staple
      """
    Then the request succeeds
    And the token "robot-token" has:
      | spec.bound_keypair.onboarding.registration_secret | Correct-Horse-Battery-Staple |
      | registration_secret                               | Correct-Horse-Battery-Staple |
    When "newbot" joins with token "robot-token" using the registration secret "Correct-Horse-Battery-Staple"
    Then the join succeeds

  @BKP-TOK-008
  Scenario: A pre-registered key stays in the spec: the status holds neither that key nor a secret
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
            registration_secret: ignored-because-a-key-is-registered
      """
    Then the request succeeds
    And the token "robot-token" has:
      | spec.bound_keypair.onboarding.initial_public_key | <public key of "alice"> |
      | bound_public_key                                 | <unset>                 |
      | registration_secret                              | <unset>                 |
      | bound_bot_instance_id                            | <unset>                 |
      | recovery_count                                   | <unset>                 |

  Rule: creating a token with a status restores that status (backup and restore)

    # Teleport lets an administrator write the status on create (and only on
    # create) so that a backup can be restored; the server then fills in a
    # secret only where the status has none and no key is bound.

    @BKP-TOK-009
    Scenario: A bound token restored from a backup keeps its binding, and its bot recovers with its key
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: restored-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            recovery:
              limit: 5
              mode: insecure
        status:
          bound_keypair:
            bound_public_key: <public key of "alice">
            bound_bot_instance_id: 0b6d3c1e-7f7a-4c55-9a3e-2f4f1b9e0c11
            recovery_count: 2
            last_recovered_at: 2024-05-06T07:08:09Z
            last_rotated_at: 2024-04-01T00:00:00Z
        """
      Then the request succeeds
      And the token "restored-token" has:
        | bound_public_key      | <public key of "alice">              |
        | bound_bot_instance_id | 0b6d3c1e-7f7a-4c55-9a3e-2f4f1b9e0c11 |
        | recovery_count        | 2                                    |
        | last_recovered_at     | 2024-05-06T07:08:09Z                 |
        | last_rotated_at       | 2024-04-01T00:00:00Z                 |
        | registration_secret   | <unset>                              |
      # insecure mode: no join state is needed, so the restored binding alone decides
      When "alice" joins with token "restored-token"
      Then the join succeeds
      And the server sent 1 challenge and 0 rotation requests
      And the server challenged the public key of "alice"
      And the token "restored-token" has:
        | recovery_count | 3 |

    @BKP-TOK-009
    Scenario: A restored registration secret is kept, even when the spec names another
      Given a bot client "newbot" with no keypair yet
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: restored-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            onboarding:
              registration_secret: secret-in-the-spec
        status:
          bound_keypair:
            registration_secret: secret-from-the-backup
        """
      Then the request succeeds
      And the token "restored-token" has:
        | registration_secret | secret-from-the-backup |
      When "newbot" joins with token "restored-token" using the registration secret "secret-from-the-backup"
      Then the join succeeds

    @BKP-TOK-009
    Scenario: A restored status without a secret or a key gets a generated secret, the rest as given
      When the admin creates the token:
        """
        kind: token
        version: v2
        metadata:
          name: restored-token
        spec:
          roles: [Bot]
          bot_name: robot
          join_method: bound_keypair
          bound_keypair:
            recovery:
              limit: 5
              mode: standard
        status:
          bound_keypair:
            recovery_count: 1
            last_recovered_at: 2024-05-06T07:08:09Z
        """
      Then the request succeeds
      And the token "restored-token" has:
        | registration_secret | <64 lowercase hex>   |
        | recovery_count      | 1                    |
        | last_recovered_at   | 2024-05-06T07:08:09Z |
        | bound_public_key    | <unset>              |

  # Teleport MAY hide the secret from plain reads (`tctl get token/x` without
  # --with-secrets). The control API is defined as the --with-secrets view
  # (docs/control-api.md), so every read through it must show the secret: the
  # suite cannot observe a secret-less read, only that an explicit request for
  # secrets gets it.
  @BKP-TOK-029
  Scenario: Reads that ask for secrets, as `tctl get token/<name> --with-secrets` does, show the registration secret
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
        bound_keypair: {}
      """
    Then the request succeeds
    And the registration secret of token "robot-token" reads the same in the create response, a single read and the token list
