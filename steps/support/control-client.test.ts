// The suite's control client against the embedded target (scripted mode):
// the new calls work and their answers pass the contract's schemas.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchInProcessServer } from '../../harness/launch/in-process.js';
import { ControlApiError, ControlClient } from './control-client.js';

let server: Awaited<ReturnType<typeof launchInProcessServer>>;
let client: ControlClient;
before(async () => {
  server = await launchInProcessServer();
  client = new ControlClient(server.controlUrl, server.controlCredential);
});
after(() => server.close());

test('the embedded target runs in scripted mode with a web listener', async () => {
  const caps = await client.capabilities();
  assert.ok((caps.features as string[]).includes('scripting'));
  assert.ok((caps.features as string[]).includes('transcripts'));
  assert.match(String((await client.cluster()).web_address), /^127\.0\.0\.1:\d+$/);
});

test('script, release, restart and transcripts through the client', async () => {
  const set = await client.putScript({ seed: 's', faults: [{ id: 'h', action: { kind: 'hold' } }] });
  assert.deepEqual(set.faults.map((f) => [f.id, f.fired, f.held]), [['h', 0, 0]]);
  assert.equal((await client.getScript()).seed, 's');
  assert.deepEqual(await client.releaseHold('h'), { fault_id: 'h', released: 0 });
  await assert.rejects(client.releaseHold('nope'), (err: unknown) => err instanceof ControlApiError && err.status === 404);
  await client.deleteScript();
  assert.deepEqual((await client.getScript()).faults, []);
  const restarted = await client.restart(0);
  assert.equal(restarted.join_address, (await client.cluster()).join_address);
  assert.deepEqual(await client.listTranscripts({ token: 'nobody', limit: 5 }), []);
});
