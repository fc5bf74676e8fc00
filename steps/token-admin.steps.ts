// Steps an administrator takes on tokens through the control API: create,
// apply, edit, read, delete, and what the stored resource then says.
import { Given, When, Then } from '@cucumber/cucumber';
import type { DataTable } from '@cucumber/cucumber';
import assert from 'node:assert/strict';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { BkpWorld } from './support/world.js';
import type { Json } from './support/control-client.js';
import { ControlApiError } from './support/control-client.js';
import { resolvePlaceholders, matchesExpectation, getPath, setPath, typedValue } from './support/values.js';
import { noteSecret, notedSecret, registrationSecretOf, removePath, tokenNamed } from './support/token-admin-helpers.js';

/** A table row's field: a full path (metadata., spec., status.) or one under spec.bound_keypair. */
function fieldPath(field: string): string {
  return /^(metadata|spec|status)\./.test(field) ? field : `spec.bound_keypair.${field}`;
}

/** A bot token as an admin would write it; `boundKeypair` is its spec.bound_keypair. */
function botTokenDocument(name: string, bot: string, boundKeypair: Json = {}): Json {
  return {
    kind: 'token',
    version: 'v2',
    metadata: { name },
    spec: { roles: ['Bot'], bot_name: bot, join_method: 'bound_keypair', bound_keypair: boundKeypair },
  };
}

/** A bot token; table rows set fields under spec.bound_keypair (or a full path). */
async function botToken(world: BkpWorld, name: string, bot: string, table?: DataTable): Promise<Json> {
  const token = botTokenDocument(name, bot);
  for (const [field, raw] of table?.raw() ?? []) setPath(token, fieldPath(field ?? ''), await typedValue(world, raw ?? ''));
  return token;
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
  await adminSends(this, 'PUT', `tokens/${encodeURIComponent(name)}`, text, 'application/yaml');
});

/** Sends a token document as the admin's tool would, remembering the tokens first. */
async function adminSends(world: BkpWorld, method: string, route: string, body: string, contentType: string): Promise<void> {
  world.tokensBeforeAdmin = await world.control.listTokens();
  world.lastAdmin = undefined;
  const res = await world.control.raw(method, route, body, contentType);
  world.lastAdmin = { status: res.status, body: res.body as Json };
}

When('the admin creates the token from this JSON document:', async function (this: BkpWorld, doc: string) {
  await adminSends(this, 'POST', 'tokens', await resolvePlaceholders(this, doc), 'application/json');
});

When('the admin applies the token from this JSON document:', async function (this: BkpWorld, doc: string) {
  const text = await resolvePlaceholders(this, doc);
  const name = String(((JSON.parse(text) as Json).metadata as Json | undefined)?.name ?? '');
  await adminSends(this, 'PUT', `tokens/${encodeURIComponent(name)}`, text, 'application/json');
});

When('the admin sends this malformed {word} document as a new token:', async function (this: BkpWorld, format: string, doc: string) {
  const type = { YAML: 'application/yaml', JSON: 'application/json' }[format];
  assert.ok(type, `unknown document format "${format}": use YAML or JSON`);
  await adminSends(this, 'POST', 'tokens', doc, type);
});

/*
 * One field of an otherwise valid bot token, written in YAML flow syntax
 * (`-1`, `"three"`, `[Bot]`), or `absent` to leave the field out.
 */
When('the admin creates a token {string} for bot {string} whose {word} is {}', async function (this: BkpWorld, name: string, bot: string, field: string, value: string) {
  const token = botTokenDocument(name, bot, { recovery: { limit: 1, mode: 'standard' } });
  const text = value.trim();
  if (text === 'absent') removePath(token, field);
  else setPath(token, field, parseYaml(await resolvePlaceholders(this, text)) as unknown);
  await adminSends(this, 'POST', 'tokens', stringifyYaml(token), 'application/yaml');
});

/*
 * What `tctl edit token/<name>` does: read the token, change fields of its
 * spec or metadata (a full path, or one under spec.bound_keypair), write it
 * back with apply (PUT), which keeps the stored status. Values are read as
 * the admin types them into the editor: YAML scalars.
 */
async function editToken(world: BkpWorld, token: string, changes: [string, string][]): Promise<void> {
  const stored = await world.control.getToken(token);
  const { revision: _revision, ...metadata } = stored.metadata as Json;
  const edited: Json = { kind: stored.kind, version: stored.version, metadata: structuredClone(metadata), spec: structuredClone(stored.spec) };
  for (const [field, value] of changes) setPath(edited, fieldPath(field), parseYaml(value.trim()) as unknown);
  const applied = await world.control.applyToken(token, edited);
  assert.deepEqual(applied.spec, edited.spec, 'the edited spec was not stored as written');
  assert.deepEqual(applied.status, stored.status, 'editing the spec must keep the token\'s status (apply semantics)');
}

When(/^the admin edits token "([^"]+)", setting (\S+) to (.+)$/, async function (this: BkpWorld, token: string, path: string, value: string) {
  await editToken(this, token, [[path, value]]);
});

When('the admin edits token {string}, setting:', async function (this: BkpWorld, token: string, table: DataTable) {
  await editToken(this, token, table.raw().map(([path, value]) => [path ?? '', value ?? '']));
});

When('the admin deletes the token {string}', async function (this: BkpWorld, name: string) {
  this.tokensBeforeAdmin = await this.control.listTokens();
  await adminCall(this, () => this.control.deleteToken(name));
});

When('the admin requests a keypair rotation for token {string}', async function (this: BkpWorld, name: string) {
  this.tokensBeforeAdmin = await this.control.listTokens();
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

Then('the request is refused with status {int}', function (this: BkpWorld, status: number) {
  assert.ok(this.lastAdmin, 'no admin request was made');
  assert.equal(this.lastAdmin.status, status, `status: ${JSON.stringify(this.lastAdmin.body)}`);
});

Then('the refusal is a(n) {string} error', function (this: BkpWorld, kind: string) {
  assert.ok(this.lastAdmin && this.lastAdmin.status >= 400, `expected a refusal, got ${JSON.stringify(this.lastAdmin)}`);
  assert.equal((this.lastAdmin.body?.error as Json | undefined)?.kind, kind, `error kind: ${JSON.stringify(this.lastAdmin.body)}`);
});

/*
 * The error's `field`, when the server gives one, must be the dotted path (or
 * a path inside it, e.g. spec.roles[0] for spec.roles); the message must name
 * at least the field's own name.
 */
Then('the refusal points at the field {string}', function (this: BkpWorld, path: string) {
  assert.ok(this.lastAdmin && this.lastAdmin.status >= 400, `expected a refusal, got ${JSON.stringify(this.lastAdmin)}`);
  const error = (this.lastAdmin.body?.error ?? {}) as Json;
  const leaf = path.split('.').at(-1) ?? path;
  assert.ok(String(error.message ?? '').includes(leaf), `the error "${String(error.message)}" should name ${leaf}`);
  if (error.field !== undefined) {
    const field = String(error.field);
    assert.ok(field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`), `error.field is ${field}, not ${path}`);
  }
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

Then('the status of token {string} is as it was before the request', async function (this: BkpWorld, name: string) {
  assert.ok(this.tokensBeforeAdmin, 'no admin request was made');
  const before = tokenNamed(this.tokensBeforeAdmin, name);
  assert.ok(before, `token "${name}" did not exist before the request`);
  assert.deepEqual((await this.control.getToken(name)).status, before.status);
});

Then('the tokens {string} and {string} have different registration secrets', async function (this: BkpWorld, a: string, b: string) {
  const first = registrationSecretOf(await this.control.getToken(a));
  const second = registrationSecretOf(await this.control.getToken(b));
  assert.ok(first && second, `both tokens should hold a registration secret: ${first} / ${second}`);
  assert.notEqual(first, second, 'two tokens received the same generated registration secret');
});

Then('the tokens {string} and {string} hold the same spec and status', async function (this: BkpWorld, a: string, b: string) {
  const first = await this.control.getToken(a);
  const second = await this.control.getToken(b);
  assert.deepEqual(second.spec, first.spec, 'spec');
  assert.deepEqual(second.status, first.status, 'status');
});

Then('the registration secret of token {string} reads the same in the create response, a single read and the token list', async function (this: BkpWorld, name: string) {
  assert.ok(this.lastAdmin && this.lastAdmin.status < 400, 'the token was not just created');
  const created = registrationSecretOf(this.lastAdmin.body);
  assert.match(created ?? '', /^[0-9a-f]{64}$/, 'the create response should show the generated registration secret');
  assert.equal(registrationSecretOf(await this.control.getToken(name)), created, 'GET tokens/{name}');
  assert.equal(registrationSecretOf(tokenNamed(await this.control.listTokens(), name)), created, 'GET tokens');
});

Given('the admin has noted the registration secret of token {string}', async function (this: BkpWorld, name: string) {
  const secret = registrationSecretOf(await this.control.getToken(name));
  assert.ok(secret, `token "${name}" holds no registration secret`);
  noteSecret(this, name, secret);
});

Then('the token {string} holds a new registration secret', async function (this: BkpWorld, name: string) {
  const secret = registrationSecretOf(await this.control.getToken(name));
  assert.match(secret ?? '', /^[0-9a-f]{64}$/, 'registration secret');
  assert.notEqual(secret, notedSecret(this, name), 'the registration secret is the one noted earlier');
});

/* The catalogue fixes the text of this refusal, not its gRPC status (that is BKP-PRT-013). */
Then('the join through the deleted token fails with {string}', function (this: BkpWorld, text: string) {
  const o = this.outcome();
  assert.ok(!o.ok, 'expected the join to fail, but it succeeded');
  assert.notEqual(o.end.code, 0, 'the stream ended without an error status');
  assert.ok(o.end.details.includes(text), `the error "${o.end.details}" should contain "${text}"`);
  assert.equal(o.result, undefined, 'a failed join must not return a result');
  assert.equal(o.challenges.length + o.rotationRequests.length, 0, 'the server should not start a ceremony for a token it does not have');
});
