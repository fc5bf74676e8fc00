// What the evidence may show and what it must not: secrets by length only,
// signatures never, private keys never; public material and claims kept.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { REDACTED, redact } from './redaction.js';

const b64u = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const JWS = `${b64u({ alg: 'EdDSA', typ: 'JWT' })}.${b64u({ nonce: 'n-1', exp: 99 })}.${Buffer.alloc(64, 7).toString('base64url')}`;

describe('evidence redaction', () => {
  it('keeps a secret field\'s length only, and leaves flags and empty values alone', () => {
    const out = redact({ initial_join_secret: 'hunter2-hunter2', registration_secret: '', initial_join_secret_present: true, token_name: 't' }) as Record<string, unknown>;
    assert.equal(out.initial_join_secret, `${REDACTED} (15 chars)`);
    assert.equal(out.registration_secret, '');
    assert.equal(out.initial_join_secret_present, true);
    assert.equal(out.token_name, 't');
  });

  it('shows a compact JWS as its header and claims, never its signature, as text or as bytes', () => {
    for (const value of [JWS, Buffer.from(JWS)]) {
      const out = redact({ solution: value }) as { solution: { jws: { header: unknown; payload: unknown; signature: string } } };
      assert.deepEqual(out.solution.jws.header, { alg: 'EdDSA', typ: 'JWT' });
      assert.deepEqual(out.solution.jws.payload, { nonce: 'n-1', exp: 99 });
      assert.equal(out.solution.jws.signature, REDACTED);
      assert.ok(!JSON.stringify(out).includes(JWS.split('.')[2]!));
    }
  });

  it('removes private key blocks from PEM text and keeps public keys and certificates', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = `${privateKey.export({ type: 'pkcs8', format: 'pem' })}${publicKey.export({ type: 'spki', format: 'pem' })}`;
    const out = JSON.stringify(redact({ key: pem, nested: [{ pem: Buffer.from(pem) }] }));
    assert.ok(!out.includes('BEGIN PRIVATE KEY'));
    assert.ok(out.includes('BEGIN PUBLIC KEY'));
  });

  it('shows binary bytes by length and a short prefix, and cuts long strings and arrays', () => {
    assert.equal(redact(Buffer.from([0, 1, 2, 255])), '[4 bytes: 000102ff]');
    assert.match(String(redact('x'.repeat(10_000))), /… \[10000 chars\]$/);
    const list = redact(Array.from({ length: 250 }, (_, i) => i)) as unknown[];
    assert.equal(list.length, 201);
    assert.equal(list[200], '[50 more]');
  });
});
