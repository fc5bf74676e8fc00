@client @CLI
Feature: A refused join is shown to the operator as the server said it

  When the server refuses a join, the operator fixes it on the server —
  raises the limit, issues a new secret, removes a lock (W-3, W-6, W-7) —
  and learns what to fix only from the bot's output. A bot therefore shows
  the server's message verbatim (client notes §3.9), and a one-shot run
  exits non-zero.

  A refused join also teaches the bot nothing: its active key, public key
  file and join state stay exactly as they were (state changes only from a
  Result, §3.7), so a retry once the operator has fixed the token starts
  from the same place.

  Rule: the server's message, verbatim, and a non-zero exit

    @BKP-CLI-026
    Scenario: A first join through a token with no recovery left
      Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
        | recovery.limit | 0 |
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot reports the server's error "no recovery attempts remaining"
      And nothing changed on the server

    @BKP-CLI-026
    Scenario: A wrong registration secret
      Given a bound keypair token "robot-token" for bot "robot" with:
        | recovery.mode  | standard |
        | recovery.limit | 1        |
      When the bot joins once with token "robot-token" and the registration secret "not-the-secret"
      Then the bot fails
      And the bot reports the server's error "a valid registration secret is required"
      And nothing changed on the server

    @BKP-CLI-026 @needs-bot-clock-file @needs-recovery
    Scenario: A recovery through a token whose recoveries are used up
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the bot has joined once with token "robot-token"
      And 2 hours pass on the server's clock
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot reports the server's error "no recovery attempts remaining"
      And nothing changed on the server

    @BKP-CLI-026 @needs-lock-management
    Scenario: A join through a locked token shows the lock's message
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot reports the server's error "robot is under investigation"
      And nothing changed on the server

    # The server's reason is `previous join state is required but was not
    # provided`; what it tells the client is the wrapping text (server §7.4).
    @BKP-CLI-026 @needs-bot-tbot-layout
    Scenario: A renewal that sends no join state where one is required
      Given the bot holds a keypair registered with token "robot-token" for bot "robot" with:
        | recovery.limit | 2 |
      And the bot has joined once with token "robot-token"
      And the bot's bkp_state is missing
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot reports the server's error "join state verification failed"
      And nothing changed on the server

  Rule: a refused join leaves the bot's state as it was

    @BKP-CLI-027 @needs-bot-tbot-layout @needs-lock-management
    Scenario: A renewal refused by a lock changes nothing in the storage
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the bot has joined once with token "robot-token"
      And the bot's storage is noted
      And the admin locks the join token "robot-token" with the message "robot is under investigation"
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's storage is as noted

    @BKP-CLI-027 @needs-bot-tbot-layout @needs-bot-clock-file @needs-recovery
    Scenario: A recovery refused at the limit changes nothing in the storage
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the bot has joined once with token "robot-token"
      And the bot's storage is noted
      And 2 hours pass on the server's clock
      When the bot joins once with token "robot-token"
      Then the bot fails
      And the bot's storage is as noted

    # Once the operator raises the limit, the same bot recovers.
    @BKP-CLI-027 @needs-bot-clock-file @needs-recovery
    Scenario: After the operator raises the limit, the refused bot recovers from where it was
      Given the bot holds a keypair registered with token "robot-token" for bot "robot"
      And the bot has joined once with token "robot-token"
      And 2 hours pass on the server's clock
      And the bot joins once with token "robot-token"
      And the bot fails
      When the admin edits token "robot-token", setting recovery.limit to 2
      And the bot joins once with token "robot-token"
      Then the bot succeeds
      And the last join through token "robot-token" sent, byte for byte, the join state the last successful join before it returned
      And the token "robot-token" has:
        | recovery_count | 2 |

  Rule: with capability exit-codes, a refusal is a join failure

    @BKP-RTY-017 @needs-bot-exit-codes
    Scenario: A refused join exits with the join_failed code
      Given a bound keypair token "robot-token" for bot "robot" with:
        | recovery.mode  | standard |
        | recovery.limit | 1        |
      When the bot joins once with token "robot-token" and the registration secret "not-the-secret"
      Then the bot fails with the join_failed exit code
