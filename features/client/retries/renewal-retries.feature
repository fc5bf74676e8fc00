@client @RTY @needs-scripting @needs-bot-retry-knobs @needs-bot-reload-signal
Feature: A running bot retries failed renewals, a bounded number of times per interval

  tbot renews its identity every renewal interval (20 minutes by default).
  When a renewal fails — the server is unreachable, or refuses — it does not
  give up and it does not hammer the server (client notes §3.8, C-LC-4): it
  tries again after a delay that starts at 1 second and doubles after every
  failure, up to 1 minute, each delay drawn at random between half and all
  of its value ("half jitter", so a fleet of bots does not retry in step).
  At most 7 attempts are made per interval; when all of them have failed it
  logs `All retry attempts exhausted. Will wait for next interval`, stays
  up, and tries again at the next interval. A transient failure costs
  nothing: the next attempt simply succeeds.

  The server here is the suite's reference server playing an outage on
  purpose (scripted mode). The daemon is asked to renew at once with its
  reload signal (SIGUSR1 for tbot), so nobody waits 20 minutes. The bot is
  given short retry delays (capability retry-knobs) so a whole interval's
  attempts fit in a few seconds; what the server saw, and when, is read
  from its transcripts.

  Background:
    Given the bot retries after 200 milliseconds at first, doubling up to 800 milliseconds
    And the bot holds a keypair registered with token "robot-token" for bot "robot"
    And the bot is running as a daemon with token "robot-token"

  @BKP-RTY-007 @BKP-RTY-005
  Scenario: While the server is unreachable the daemon makes a bounded number of attempts, never in a busy loop, and stays up
    Given the server is unavailable for every join through token "robot-token"
    When the daemon is asked to renew now
    Then the daemon gives up after at most 7 joins through token "robot-token", each refused with UNAVAILABLE
    And those joins were at least half the first retry delay apart
    And the daemon is still running
    # The server is back: the next renewal goes through, with the identity the bot kept.
    When the server answers joins through token "robot-token" normally again
    And the daemon renews now
    Then the last join through token "robot-token" was authenticated
    And the token "robot-token" has:
      | recovery_count | 1 |

  @BKP-RTY-006 @BKP-RTY-008 @needs-bot-tbot-messages
  Scenario: The daemon makes exactly 7 attempts per interval, waits longer after each, and says when it has exhausted them
    Given the server is unavailable for every join through token "robot-token"
    When the daemon is asked to renew now
    Then the daemon gives up after exactly 7 joins through token "robot-token", each refused with UNAVAILABLE
    And the waits between those joins doubled from the first retry delay up to the largest, each between half and all of its delay
    And the daemon's output says "All retry attempts exhausted. Will wait for next interval" once

  @BKP-RTY-018
  Scenario: Two failed attempts, then the server answers: the third attempt renews, and nothing is consumed
    Given the server is unavailable for the next 2 joins through token "robot-token"
    When the daemon is asked to renew now
    Then the daemon's renewal through token "robot-token" succeeds within 10 seconds
    And that renewal took 3 joins, the first 2 refused with UNAVAILABLE
    And the last join through token "robot-token" was authenticated
    And the token "robot-token" has:
      | recovery_count | 1 |
    And 1 bot instance exists for bot "robot"
