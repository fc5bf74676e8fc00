import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControlClient, Transcript } from './control-client.js';
import { JoinWatch } from './join-watch.js';

/** A control API that only lists transcripts, from a list the test changes. */
function fakeControl(streams: Transcript[]): { control: ControlClient; calls: { after: number | undefined }[] } {
  const calls: { after: number | undefined }[] = [];
  const control = {
    async listTranscripts(filter: { token?: string; after?: number; limit?: number }) {
      calls.push({ after: filter.after });
      return streams.filter((t) => t.token_name === filter.token && t.id > (filter.after ?? 0)).slice(0, filter.limit ?? 100).map((t) => ({ ...t }));
    },
  } as unknown as ControlClient;
  return { control, calls };
}

function stream(id: number, token: string, ended: boolean): Transcript {
  return {
    id, token_name: token, peer: '127.0.0.1:1', authenticated: false, started_at: '2030-01-01T00:00:00Z', messages: [], faults: [],
    ...(ended ? { end: { code: 'UNAVAILABLE', message: 'x' }, ended_at: '2030-01-01T00:00:00Z' } : {}),
  };
}

test('a watch sees only streams through its token that begin after it started, with when they appeared', async () => {
  const streams = [stream(1, 't', true), stream(2, 'other', true)];
  const { control } = fakeControl(streams);
  const watch = await JoinWatch.start(control, 't');
  assert.equal(watch.afterId, 1);
  const before = Date.now();
  streams.push(stream(3, 't', false), stream(4, 'other', false));
  const seen = await watch.until((js) => js.length === 1, 2_000, () => 'nothing seen');
  assert.deepEqual(seen.map((j) => j.transcript.id), [3]);
  assert.ok((seen[0]?.seenAtMs ?? 0) >= before - 50);
  // The stream ends: the watch sees the end, and keeps the time it first saw the stream.
  const first = seen[0]?.seenAtMs;
  (streams[2] as Transcript).end = { code: 'OK', message: '' };
  const ended = await watch.until((js) => js[0]?.transcript.end !== undefined, 2_000, () => 'no end seen');
  assert.equal(ended[0]?.seenAtMs, first);
  await watch.stop();
});

test('ended streams are not asked for again', async () => {
  const streams = [stream(5, 't', true)];
  const { control, calls } = fakeControl([]);
  const watch = await JoinWatch.start(control, 't');
  (control as unknown as { listTranscripts: (f: { token?: string; after?: number }) => Promise<Transcript[]> }).listTranscripts = async (f) => {
    calls.push({ after: f.after });
    return streams.filter((t) => t.id > (f.after ?? 0));
  };
  await watch.until((js) => js.length === 1, 2_000, () => 'nothing seen');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(calls.at(-1)?.after, 5);
  await watch.stop();
});

test('until() times out naming what was seen; quietFor() returns after a quiet spell', async () => {
  const { control } = fakeControl([]);
  const watch = await JoinWatch.start(control, 't');
  await assert.rejects(watch.until(() => false, 100, (js) => `seen ${js.length}`), /after 100 ms: seen 0/);
  const started = Date.now();
  assert.deepEqual(await watch.quietFor(150, 2_000), []);
  assert.ok(Date.now() - started >= 150);
  await watch.stop();
});

test('a failing control API fails the waits', async () => {
  let calls = 0;
  const control = {
    async listTranscripts() {
      if (calls++ > 0) throw new Error('control API down');
      return [];
    },
  } as unknown as ControlClient;
  const watch = await JoinWatch.start(control, 't');
  await assert.rejects(watch.until(() => false, 2_000, () => ''), /watching joins through token "t": control API down/);
  await watch.stop();
});
