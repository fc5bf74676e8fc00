@REN @needs-renewal
Feature: The client certificate is judged by the server, at the server's time

  A renewal is only as good as the certificate it presents. The server
  accepts a client certificate only if its own user or host CA signed it
  and the server's clock lies within the certificate's validity. A
  certificate that fails either test is refused outright, with the reason —
  the caller is NOT quietly treated as an anonymous client, which would turn
  the join into a recovery and cost one.

  # This is the suite's choice (BKP-REN-013 … 015). Teleport verifies client
  # certificates in the TLS handshake at real time, and tbot drops an expired
  # identity before it joins, so Teleport refuses at the transport. The
  # suite needs the virtual clock to govern expiry, so it requires the join
  # service to judge the certificate at the server's clock — the reference
  # server terminates TLS itself for that (reference/auth/grpc/) — and to
  # refuse with UNAUTHENTICATED and a reason. The suite does not require a
  # bot.join audit event for these refusals: Teleport, refusing in the
  # handshake, records none.
  #
  # "renews" makes the bot present the certificate it holds even where a
  # careful bot would not (tbot would recover instead).
  #
  # BKP-REN-016 (an unparseable certificate, or one this cluster signed
  # without a Teleport identity, gives `malformed certificate`) has no
  # scenario: a TLS stack refuses an unparseable certificate before any
  # join service sees it, and an identity-less certificate signed by this
  # cluster's CA cannot be made without the CA's private key.

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.mode                 | standard                |
      | recovery.limit                | 3                       |
    And "alice" joins with token "robot-token"
    And the join succeeds

  Rule: validity is judged at the server's clock

    @BKP-REN-013 @needs-clock-control
    Scenario: A certificate that has expired on the server's clock is refused, not taken for a recovery
      Given "alice" stays offline until its certificate has expired
      When "alice" renews with token "robot-token"
      Then the join fails with UNAUTHENTICATED "certificate has expired"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the token "robot-token" has:
        | recovery_count | 1 |
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"

    # The clock is set back past the certificate's not_before (issued
    # certificates are backdated a minute, so a minute and a second back).
    @BKP-REN-014 @needs-clock-control
    Scenario: A certificate that is not yet valid on the server's clock is refused
      Given the server's clock has been set back to before the start of "alice"'s certificate
      When "alice" renews with token "robot-token"
      Then the join fails with UNAUTHENTICATED "certificate is not yet valid"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server

  Rule: only certificates this cluster issued are accepted

    # mallory stole alice's private key and forges the certificate it lacks:
    # same cluster name (even the CA's name is the cluster's), same bot, bot
    # instance, generation and join token — only the signature is not the
    # cluster's. Were it accepted, mallory would renew as alice's instance
    # without spending a recovery. An expired forgery is still reported as
    # foreign: the issuer is checked before the dates.
    @BKP-REN-015
    Scenario Outline: A certificate from a certificate authority of the bot's own making is refused (<validity>)
      Given a bot client "mallory" holding copies of the keypair and the join state of "alice"
      And "mallory" has forged a <validity> certificate for the bot instance of "alice" with a certificate authority of its own
      When "mallory" renews with token "robot-token"
      Then the join fails with UNAUTHENTICATED "certificate was not issued by this cluster"
      And the server sent 0 challenges and 0 rotation requests
      And nothing changed on the server
      And the audit log has no "join_token.bound_keypair.recovery" event for token "robot-token"

      Examples:
        | validity        |
        | currently valid |
        | long expired    |
