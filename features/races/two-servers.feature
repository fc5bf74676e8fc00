@RACE @needs-second-server
Feature: Two auth servers sharing one store

  Teleport runs highly available auth servers side by side over one
  backend; a bot's join may reach any of them, and the next join another.
  The guarantees of a single server must hold across them: a commit, a
  lock or a generation advance made through one server binds the other, and
  joins through one token sent to different servers race exactly as they
  would within one.

  The reference server can run this way on PostgreSQL: every server
  started with the same database and schema shares the cluster's
  authorities, tokens, locks, bot instances and audit log. For these
  scenarios the suite starts a second server process on the first one's
  store (`bkp auth serve --postgres-url … --postgres-schema …`), so they
  apply only when the target can do that (run with BKP_STORE=postgres);
  elsewhere they are reported as not applicable.

  Each server keeps its own virtual clock. The first is put at real time by
  the reset before every scenario; the second, started once and kept for
  the run, is set to the first one's time when a scenario asks for it (and
  restarted if a bound_keypair CA rotation has happened since it loaded the
  cluster's authorities). After that the clocks are independent, so the
  scenarios here are clock-neutral: they never move either clock, and
  nothing in them depends on the two clocks agreeing.

  Background:
    Given a second auth server sharing the store of the first
    And a bot client "alice" with an Ed25519 keypair

  Rule: what one server commits, the other builds on

    @BKP-RACE-011
    Scenario: A bot onboarded through one server renews and recovers through the other
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 3                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      Then the second server shows token "robot-token" exactly as the first does
      When "alice" renews with token "robot-token" through the second server
      Then the join succeeds
      And the certificate names the bot instance bound to token "robot-token" at generation 2
      When "alice" recovers with token "robot-token" through the second server
      Then the join succeeds
      And the token "robot-token" has:
        | recovery_count | 2 |
      When "alice" renews with token "robot-token" through the first server
      Then the join succeeds
      And the certificate names the bot instance bound to token "robot-token" at generation 2
      And the second server lists the same locks and bot instances as the first

    # The generation counter lives in the shared bot instance record: an
    # advance made by one server is what the other compares with. The copy
    # still holds a valid join state (a renewal changes neither the count
    # nor the instance), so it is the generation check that catches it.
    @BKP-RACE-011
    Scenario: A generation advanced through one server is enforced by the other
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 3                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And a bot client "old-copy" holding copies of the keypair, the certificate and the join state of "alice"
      When "alice" renews with token "robot-token" through the second server
      Then the join succeeds
      When "old-copy" renews with token "robot-token" through the first server
      Then the join fails with PERMISSION_DENIED "cert generation mismatch"
      And the join fails with PERMISSION_DENIED "stored=2, presented=1"
      And the audit log has a failed "cert.generation_mismatch" event for token "robot-token"
      When "alice" renews with token "robot-token" through the second server
      Then the join fails with PERMISSION_DENIED "certificate generation mismatch"
      And nothing changed on the server

  Rule: racers split between the two servers resolve as on one

    # Same race as in recovery-races.feature, with the racers alternating
    # between the servers: the commits meet in the shared store. The loser
    # that retries goes to the second server, the winner renews through the
    # first: the lock the one placed stops the other.
    @BKP-RACE-011 @BKP-RACE-003
    Scenario Outline: <racers> clones on two servers race for a recovery
      Given a bound keypair token "clone-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 5                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "clone-token"
      And the join succeeds
      And <racers> racers start from copies of "alice"'s keypair, join state and certificate
      When the racers all recover with token "clone-token" at once, alternating between the two servers
      Then exactly 1 racer succeeds
      And every losing racer fails with PERMISSION_DENIED "committing updated token state, please try again"
      And the token "clone-token" has:
        | recovery_count | 2 |
      And the token "clone-token" is bound to the winning racer's bot instance
      And the second server shows token "clone-token" exactly as the first does
      When a losing racer recovers with token "clone-token" again through the second server
      Then the join fails with PERMISSION_DENIED "join state verification failed"
      And apart from one new lock on token "clone-token" saying 'The join token "clone-token" has been locked by bot "robot" after a client failed to verify its join state', nothing changed on the server
      When the winning racer renews with token "clone-token" through the first server
      Then the join fails with PERMISSION_DENIED "after a client failed to verify its join state"
      And nothing changed on the server

      Examples:
        | racers |
        | 2      |
        | 4      |

    # The generation counter lives in the shared bot instance record, so
    # two renewals with one certificate, one per server, still advance it
    # at most once; the lock placed by whichever server saw the mismatch
    # stops the certificate on both.
    @BKP-RACE-011 @BKP-RACE-006
    Scenario: Two copies of one certificate renew at once, one through each server
      Given a bound keypair token "robot-token" for bot "robot" with:
        | onboarding.initial_public_key | <public key of "alice"> |
        | recovery.limit                | 1                       |
        | recovery.mode                 | standard                |
      And "alice" joins with token "robot-token"
      And the join succeeds
      And 2 racers start from copies of "alice"'s keypair, join state and certificate
      When the racers all renew with token "robot-token" at once, alternating between the two servers
      Then at most 1 racer succeeds
      And every losing racer is refused for the certificate generation mismatch, by the check itself or by the lock it placed
      And the race locked the join token "robot-token" once per generation mismatch, with an audit event each
      And the bot instance of "alice" has advanced one generation per successful racer
      When "alice" renews with token "robot-token" through the first server
      Then the join fails with PERMISSION_DENIED "certificate generation mismatch"
      When "alice" renews with token "robot-token" through the second server
      Then the join fails with PERMISSION_DENIED "certificate generation mismatch"
      And nothing changed on the server
