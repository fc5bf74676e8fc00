@RACE
Feature: Copies of one certificate renew at once

  A renewal changes nothing on the token (no recovery is counted, no key or
  instance is bound), so the token's conditional commit does not serialise
  two renewals. What does is the bot instance's generation counter: every
  renewal presents the generation written in its certificate, which must
  equal the stored one, and advances it by one — a write to the bot instance
  record, conditional on that record's revision. Of several renewals
  presenting the same generation, at most one can advance it; every other
  then presents a generation that is no longer current. Teleport reads that
  as a stolen certificate: `cert generation mismatch`, an audit event, and a
  lock on the join token (server §8, §9 "two concurrent renewals"; [INFERRED]
  there, not tested upstream).

  The story: the clones of a VM image booted while their certificate was
  still valid, and all renew with it at once. One of them may carry on —
  until the lock stops it at its next renewal. The token is locked for
  everyone: exactly what should happen when one certificate is used twice.

  Like every race feature, this one also runs against the SQLite and
  PostgreSQL stores in CI (BKP-RACE-010; see recovery-races.feature).

  Background:
    Given a bot client "alice" with an Ed25519 keypair
    And a bound keypair token "robot-token" for bot "robot" with:
      | onboarding.initial_public_key | <public key of "alice"> |
      | recovery.limit                | 1                       |
      | recovery.mode                 | standard                |
    And "alice" joins with token "robot-token"
    And the join succeeds

  # With three racers, the second loser may reach the lock check after the
  # first loser has placed its lock, and be refused by the lock (whose
  # message names the certificate generation mismatch) rather than by the
  # generation check; each loser refused by the check places one lock.
  @BKP-RACE-006 @BKP-RACE-010
  Scenario Outline: <racers> copies of one certificate renew at once
    Given <racers> racers start from copies of "alice"'s keypair, join state and certificate
    When the racers all renew with token "robot-token" at once
    Then at most 1 racer succeeds
    And every losing racer is refused for the certificate generation mismatch, by the check itself or by the lock it placed
    And the race locked the join token "robot-token" once per generation mismatch, with an audit event each
    And the bot instance of "alice" has advanced one generation per successful racer
    And the race left the status of token "robot-token" as it was
    And the audit log shows one failed "bot.join" event per losing racer for token "robot-token"
    When "alice" renews with token "robot-token"
    Then the join fails with PERMISSION_DENIED "certificate generation mismatch"
    And nothing changed on the server

    Examples:
      | racers |
      | 2      |
      | 3      |
