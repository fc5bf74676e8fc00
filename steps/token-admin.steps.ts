// Steps an administrator takes on tokens through the control API: create,
// apply, read, delete, and what the stored resource then says.
import { Given, When, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { ControlApiError } from './support/control-client.js';
import { resolvePlaceholders, matchesExpectation, getPath, setPath } from './support/values.js';

/** A bot token as an admin would write it; table rows set fields under spec.bound_keypair (or a full path). */
async function botToken(world: BkpWorld, name: string, bot: string, table?: DataTable): Promise<Json> {
  const token: Json = {
    kind: 'token',
    version: 'v2',
    metadata: { name },
    spec: { roles: ['Bot'], bot_name: bot, join_method: 'bound_keypair', bound_keypair: {} },
  };
  for (const [field, raw] of table?.raw() ?? []) {
    const value = await typedValue(world, raw ?? '');
    const path = /^(metadata|spec|status)\./.test(field ?? '') ? (field as string) : `spec.bound_keypair.${field}`;
    setPath(token, path, value);
  }
  return token;
}

async function typedValue(world: BkpWorld, raw: string): Promise<unknown> {
  const text = await resolvePlaceholders(world, raw);
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text.startsWith('[')) return JSON.parse(text);
  return text;
}

Given('a bound keypair token {string} for bot {string}', async function (this: BkpWorld, name: string, bot: string) {
  await this.control.createToken(await botToken(this, name, bot));
});

Given('a bound keypair token {string} for bot {string} with:', async function (this: BkpWorld, name: string, bot: string, table: DataTable) {
  await this.control.createToken(await botToken(this, name, bot, table));
});

Given('the admin has created the token:', async function (this: BkpWorld, doc: string) {
  await this.control.createToken(parseYaml(await resolvePlaceholders(this, doc)));
});

async function adminCall(world: BkpWorld, action: () => Promise<unknown>): Promise<void> {
  try {
    const body = await action();
    world.lastAdmin = { status: 200, body: (body ?? undefined) as Json | undefined };
  } catch (err) {
    if (!(err instanceof ControlApiError)) throw err;
    world.lastAdmin = { status: err.status, body: err.body as Json };
  }
}

When('the admin creates the token:', async function (this: BkpWorld, doc: string) {
  const text = await resolvePlaceholders(this, doc);
  const before = await this.control.listTokens();
  this.lastAdmin = undefined;
  const res = await this.control.raw('POST', 'tokens', text, 'application/yaml');
  this.lastAdmin = { status: res.status, body: res.body as Json };
  this.tokensBeforeAdmin = before;
});

When('the admin applies the token:', async function (this: BkpWorld, doc: string) {
  const text = await resolvePlaceholders(this, doc);
  const name = String(((parseYaml(text) as Json)?.metadata as Json | undefined)?.name ?? '');
  this.tokensBeforeAdmin = await this.control.listTokens();
  const res = await this.control.raw('PUT', `tokens/${encodeURIComponent(name)}`, text, 'application/yaml');
  this.lastAdmin = { status: res.status, body: res.body as Json };
});

When('the admin deletes the token {string}', async function (this: BkpWorld, name: string) {
  this.tokensBeforeAdmin = await this.control.listTokens();
  await adminCall(this, () => this.control.deleteToken(name));
});

When('the admin requests a keypair rotation for token {string}', async function (this: BkpWorld, name: string) {
  await adminCall(this, () => this.control.requestRotation(name));
});

Then('the request succeeds', function (this: BkpWorld) {
  assert.ok(this.lastAdmin, 'no admin request was made');
  assert.ok(this.lastAdmin.status < 400, `expected success, got ${this.lastAdmin.status}: ${JSON.stringify(this.lastAdmin.body)}`);
});

Then('the request is refused with status {int} naming {string}', function (this: BkpWorld, status: number, text: string) {
  assert.ok(this.lastAdmin, 'no admin request was made');
  assert.equal(this.lastAdmin.status, status, `status: ${JSON.stringify(this.lastAdmin.body)}`);
  const message = String(((this.lastAdmin.body?.error as Json | undefined)?.message) ?? '');
  assert.ok(message.includes(text), `the error "${message}" should name "${text}"`);
});

Then('the tokens are as they were before the request', async function (this: BkpWorld) {
  assert.deepEqual(await this.control.listTokens(), this.tokensBeforeAdmin);
});

Then('the token {string} has:', async function (this: BkpWorld, name: string, table: DataTable) {
  const token = await this.control.getToken(name);
  for (const [field, expected] of table.raw()) {
    const path = /^(metadata|spec|status)\./.test(field ?? '') ? (field as string) : `status.bound_keypair.${field}`;
    const want = await resolvePlaceholders(this, expected ?? '');
    const actual = getPath(token, path);
    assert.ok(matchesExpectation(actual, want), `${path}: expected ${want}, got ${JSON.stringify(actual)}`);
  }
});

Then('the token {string} does not exist', async function (this: BkpWorld, name: string) {
  const res = await this.control.raw('GET', `tokens/${encodeURIComponent(name)}`);
  assert.equal(res.status, 404, `expected the token to be gone, got ${res.status}`);
});
