// Roles and join-method checks (the ROL area): the generic checks a join
// passes before the ServerInit (token lookup, join method, requested role),
// and the bound keypair handler's late refusal of roles other than Bot and
// Instance. Joins use the shared join() and the wire client of the protocol
// steps; these steps add a join that asks for another system role without a
// certificate or with the registration secret, and what the checks answered.
//
// Sentences here speak of "system role", of the generic checks or of the
// ServerInit's join method, so they do not collide with other areas' steps.
import { When, Then } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import type { BkpWorld } from './support/world.js';
import { join } from './join.steps.js';
import { boundKeypairStatus } from './support/server-state.js';

/** What each generic check says when it refuses (server §2.2 steps 2–4). */
const CHECK_TEXTS: Record<string, string[]> = {
  lookup: ['token expired or not found'],
  method: ['client requested join method', 'provision token only supports method'],
  role: ['cannot requisition instance certs', 'the token does not allow role'],
};

/* As after a restart with lost certificates: no certificate is presented. */
When('{string} recovers with token {string} as system role {string}', async function (this: BkpWorld, who: string, token: string, role: string) {
  await join(this, who, { tokenName: token, role, identity: undefined });
});

When("{string} joins with token {string} as system role {string} using the token's registration secret", async function (this: BkpWorld, who: string, token: string, role: string) {
  const secret = String(boundKeypairStatus(await this.control.getToken(token)).registration_secret ?? '');
  assert.ok(secret, `token "${token}" has no registration secret in its status`);
  await join(this, who, { tokenName: token, role, secret });
});

/*
 * A ClientInit without join_method may name a token of another method; the
 * server then speaks that method. Whether it sends a ServerInit at all is
 * the server's choice; if it does, the ServerInit names the token's method.
 */
Then('any ServerInit the server sent named join method {string}', function (this: BkpWorld, method: string) {
  const init = this.outcome().serverInit;
  if (init) assert.equal(init.join_method, method, 'ServerInit.join_method');
});

/*
 * The generic checks run in order — token lookup, join method, role — and
 * the first that fails answers alone: its words are in the error, the later
 * checks' words are not.
 */
Then('the refusal comes from the {word} check alone', function (this: BkpWorld, check: string) {
  const own = CHECK_TEXTS[check];
  assert.ok(own, `unknown check "${check}": use one of ${Object.keys(CHECK_TEXTS).join(', ')}`);
  const o = this.outcome();
  assert.ok(!o.ok, 'expected the join to be refused, but it succeeded');
  assert.ok(own.some((t) => o.end.details.includes(t)), `the error "${o.end.details}" is not the ${check} check's`);
  for (const [other, texts] of Object.entries(CHECK_TEXTS)) {
    if (other === check) continue;
    for (const t of texts) assert.ok(!o.end.details.includes(t), `the error "${o.end.details}" also speaks of the ${other} check ("${t}")`);
  }
});
