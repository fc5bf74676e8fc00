import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  encodeAuthorizedKey, encodeSshWirePublicKey, parseAuthorizedKey, parseSshWirePublicKey,
} from './authorized-keys.js';
import { generateKeyPair, keyAlgorithmOf, publicKeysEqual } from './keys.js';
import { SshWriter } from './ssh-wire.js';
import { assertTraceError, run, tempDir } from './test-support.js';

const tmp = tempDir();
after(() => tmp.cleanup());

// RSA key generation is slow: one pair per file.
const ours = {
  'ed25519': generateKeyPair('ed25519'),
  'ecdsa-p256': generateKeyPair('ecdsa-p256'),
  'rsa': generateKeyPair('rsa'),
};

/** ssh-keygen's own key and fingerprint for each supported type. */
const sshKeygenKeys = (['ed25519', 'ecdsa', 'rsa'] as const).map((type) => {
  const file = tmp.path(`id_${type}`);
  const size = type === 'ecdsa' ? ['-b', '256'] : type === 'rsa' ? ['-b', '2048'] : [];
  run('ssh-keygen', ['-q', '-t', type, ...size, '-N', '', '-C', `comment for ${type}`, '-f', file]);
  const pub = readFileSync(`${file}.pub`, 'utf8');
  // An independent reference key: ssh-keygen's PKCS#8 export (not available
  // for Ed25519 in OpenSSH 9.2), else the raw 32 bytes at the end of the blob.
  const spki = type === 'ed25519'
    ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pub.split(' ')[1]!, 'base64').subarray(-32).toString('base64url') }, format: 'jwk' })
    : createPublicKey(run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', `${file}.pub`]));
  return { type, file, pub, spki };
});

function fingerprint(file: string): string {
  const out = run('ssh-keygen', ['-l', '-f', file]);
  const m = /SHA256:([A-Za-z0-9+/]+)/.exec(out);
  assert.ok(m?.[1], `no fingerprint in ${out}`);
  return m[1];
}

const sha256NoPad = (b: Buffer) => createHash('sha256').update(b).digest('base64').replace(/=+$/, '');

test('parses ssh-keygen public keys (with comment and newline) and re-encodes them identically', () => {
  for (const k of sshKeygenKeys) {
    assert.ok(k.pub.endsWith('\n') && k.pub.includes(' comment for '));
    const key = parseAuthorizedKey(k.pub);
    assert.ok(publicKeysEqual(key, k.spki), `${k.type}: parsed key differs from ssh-keygen's PKCS#8 export`);
    const [type, b64] = k.pub.trim().split(' ');
    assert.equal(encodeAuthorizedKey(key), `${type} ${b64}`);
    assert.equal(sha256NoPad(encodeSshWirePublicKey(key)), fingerprint(`${k.file}.pub`));
  }
});

test('keys generated here are accepted by ssh-keygen with the same fingerprint', () => {
  for (const alg of ['ed25519', 'ecdsa-p256', 'rsa'] as const) {
    const { publicKey, privateKey } = ours[alg];
    const text = encodeAuthorizedKey(privateKey);
    assert.doesNotMatch(text, /\n|\s$/);
    const file = tmp.path(`ours_${alg}.pub`);
    writeFileSync(file, `${text}\n`);
    assert.equal(fingerprint(file), sha256NoPad(encodeSshWirePublicKey(publicKey)));
    assert.ok(publicKeysEqual(parseAuthorizedKey(text), publicKey));
    assert.ok(publicKeysEqual(parseSshWirePublicKey(encodeSshWirePublicKey(publicKey)), publicKey));
  }
});

/** encodeSshWirePublicKey refuses short RSA keys, so build one by hand. */
function rsa1024Wire(): Buffer {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
  return new SshWriter().string('ssh-rsa').mpint(Buffer.from(jwk.e!, 'base64url')).mpint(Buffer.from(jwk.n!, 'base64url')).toBuffer();
}

function blob(...fields: (string | Buffer)[]): Buffer {
  const w = new SshWriter();
  for (const f of fields) w.string(f);
  return w.toBuffer();
}

test('parseAuthorizedKey refuses malformed or unsupported input and says what was wrong', () => {
  const ed = encodeAuthorizedKey(ours.ed25519.publicKey);
  const [, edB64 = ''] = ed.split(' ');
  const edBlob = Buffer.from(edB64, 'base64');
  const p384File = tmp.path('id_p384');
  run('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '384', '-N', '', '-f', p384File]);
  const rsaWire = encodeSshWirePublicKey(ours.rsa.publicKey);
  const ecWire = encodeSshWirePublicKey(ours['ecdsa-p256'].publicKey);
  const ecPoint = ecWire.subarray(ecWire.length - 65);
  const cases: [string | Buffer, string][] = [
    ['', 'empty'],
    ['   \n', 'empty'],
    [`from="10.0.0.1" ${ed}`, 'options prefixes are not supported'],
    [`restrict ${ed}`, 'options prefixes are not supported'],
    [`no-pty,command="x" ${ed}`, 'options prefixes are not supported'],
    [`ssh-foo ${edB64}`, 'unknown key type "ssh-foo"'],
    [readFileSync(`${p384File}.pub`, 'utf8'), 'unsupported key type "ecdsa-sha2-nistp384"'],
    [`ssh-ed25519-cert-v01@openssh.com ${edB64}`, 'unsupported key type'],
    [`ssh-rsa ${edB64}`, 'key type "ssh-rsa" does not match the key blob\'s type "ssh-ed25519"'],
    ['ssh-ed25519', 'missing base64'],
    [`ssh-ed25519 ${edB64.slice(0, -4)}$$$$`, 'not valid base64'],
    [`ssh-ed25519 ${edB64.slice(1)}`, 'not valid base64'],
    [`ssh-ed25519 ${Buffer.concat([edBlob, Buffer.from([0])]).toString('base64')}`, 'trailing bytes'],
    [`ssh-ed25519 ${edBlob.subarray(0, edBlob.length - 1).toString('base64')}`, 'truncated'],
    [`${ed}\n${ed}`, 'exactly one key'],
    [`ssh-ed25519 ${blob('ssh-ed25519', Buffer.alloc(31, 1)).toString('base64')}`, 'must be 32 bytes'],
    [`ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp384', ecPoint).toString('base64')}`, 'curve "nistp384" does not match'],
    [`ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp256', Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)])).toString('base64')}`, 'not on the curve'],
    [`ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp256', Buffer.concat([Buffer.from([2]), ecPoint.subarray(1, 33)])).toString('base64')}`, 'uncompressed'],
    [`ssh-rsa ${rsa1024Wire().toString('base64')}`, '1024 bits'],
    [`ssh-rsa ${Buffer.concat([rsaWire, Buffer.from('xx')]).toString('base64')}`, 'trailing bytes'],
    [`ssh-rsa ${blob('ssh-rsa', Buffer.from([0x81]), Buffer.alloc(256, 0x41)).toString('base64')}`, 'negative mpint'],
    [`ssh-rsa ${blob('ssh-rsa', Buffer.from([0, 1, 0, 1]), Buffer.alloc(256, 0x41)).toString('base64')}`, 'not a minimally encoded mpint'],
    [`ssh-ed25519 ${'A'.repeat(17 * 1024)}`, 'limit'],
  ];
  for (const [input, part] of cases) assertTraceError(() => parseAuthorizedKey(input), 'BadParameter', part);
});

test('parseAuthorizedKey accepts comments, tabs and CRLF around one key', () => {
  const { publicKey } = ours['ecdsa-p256'];
  const text = encodeAuthorizedKey(publicKey);
  for (const variant of [text, `  ${text}\r\n`, text.replace(' ', '\t'), `${text} a comment with  spaces`, Buffer.from(`${text}\n`)]) {
    assert.ok(publicKeysEqual(parseAuthorizedKey(variant), publicKey));
  }
  assert.equal(keyAlgorithmOf(parseAuthorizedKey(text)), 'ecdsa-p256');
});
