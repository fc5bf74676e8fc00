// A server that answers wrongly, played by the reference server's scripted
// mode (fault action `tamper`, docs/control-api.md): the next join through a
// token gets a result without its bound keypair part, a result naming a key
// the bot never held, or a ServerInit where a challenge belongs. States no
// honest server produces, which a bot must still survive (client notes
// §3.3 step 4, §3.7 C-RS-1/2). Faults are added with E2's fault script.
import { Given } from '@cucumber/cucumber';
import type { BkpWorld } from './support/world.js';
import { addFault } from './support/fault-script.js';

const CHANGES: Record<string, { change: string; before: string }> = {
  'a BotResult without its bound keypair part': { change: 'strip_bound_keypair_result', before: '*messages.BotResult' },
  'a BotResult naming a key the bot never held': { change: 'foreign_result_public_key', before: '*messages.BotResult' },
  'a ServerInit instead of its challenge': { change: 'unexpected_message', before: '*messages.BoundKeypairChallenge' },
};

Given(/^the server sends the next join through token "([^"]+)" (a BotResult without its bound keypair part|a BotResult naming a key the bot never held|a ServerInit instead of its challenge)$/, async function (this: BkpWorld, token: string, what: string) {
  const { change, before } = CHANGES[what] as { change: string; before: string };
  await addFault(this, 'tamper', { token, when: { before_server: before, occurrence: 1 }, times: 1, action: { kind: 'tamper', change } });
});
