// Parsing and verifying OpenSSH certificates (PROTOCOL.certkeys), the
// inverse of ssh-certificates.ts: used by tests and by the reference bot to
// check what a server returned without shelling out to ssh-keygen.
import { verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import { parseSshWirePublicKey } from './authorized-keys.js';
import type { SshKeyType } from './authorized-keys.js';
import { keyAlgorithmOf } from './keys.js';
import { CERT_TYPE_NAMES, P256_SCALAR_BYTES } from './ssh-certificates.js';
import type { SshCertificateType } from './ssh-certificates.js';
import { SshReader, SshWriter } from './ssh-wire.js';

export interface ParsedSshCertificate {
  certTypeName: string;
  publicKey: KeyObject;
  serial: bigint;
  certType: SshCertificateType;
  keyId: string;
  principals: string[];
  validAfter: Date;
  validBefore: Date;
  criticalOptions: Record<string, string>;
  extensions: Record<string, string>;
  signatureKey: KeyObject;
}

function decodeOptions(buf: Buffer, what: string): Record<string, string> {
  const r = new SshReader(buf, what);
  const out: Record<string, string> = {};
  let previous: string | undefined;
  while (r.remaining > 0) {
    const name = r.text('option name');
    if (previous !== undefined && name <= previous) throw badParameter(`${what}: options are not sorted and unique`);
    previous = name;
    const data = r.string('option data');
    if (data.length === 0) {
      out[name] = '';
    } else {
      const inner = new SshReader(data, `${what} ${name}`);
      out[name] = inner.text('option value');
      inner.expectEnd();
    }
  }
  return out;
}

function verifyBlob(caKey: KeyObject, data: Buffer, signatureBlob: Buffer): boolean {
  const r = new SshReader(signatureBlob, 'SSH certificate signature');
  const format = r.text('signature format');
  const sig = r.string('signature');
  r.expectEnd();
  switch (keyAlgorithmOf(caKey)) {
    case 'ed25519':
      return format === 'ssh-ed25519' && verify(null, data, caKey, sig);
    case 'ecdsa-p256': {
      if (format !== 'ecdsa-sha2-nistp256') return false;
      const inner = new SshReader(sig, 'ECDSA signature');
      const rr = inner.mpint('r');
      const ss = inner.mpint('s');
      inner.expectEnd();
      if (rr.length > P256_SCALAR_BYTES || ss.length > P256_SCALAR_BYTES) return false;
      const p1363 = Buffer.concat([
        Buffer.alloc(P256_SCALAR_BYTES - rr.length), rr,
        Buffer.alloc(P256_SCALAR_BYTES - ss.length), ss,
      ]);
      return verify('sha256', data, { key: caKey, dsaEncoding: 'ieee-p1363' }, p1363);
    }
    case 'rsa':
      if (format === 'rsa-sha2-512') return verify('sha512', data, caKey, sig);
      if (format === 'rsa-sha2-256') return verify('sha256', data, caKey, sig);
      return false;
  }
}

/** Parses a certificate and checks its signature against the embedded CA key. */
export function parseSshCertificate(cert: Buffer): ParsedSshCertificate {
  const r = new SshReader(cert, 'SSH certificate');
  const certTypeName = r.text('certificate type');
  const keyType = (Object.keys(CERT_TYPE_NAMES) as SshKeyType[]).find((k) => CERT_TYPE_NAMES[k] === certTypeName);
  if (keyType === undefined) throw badParameter(`SSH certificate: unsupported certificate type "${certTypeName}"`);
  r.string('nonce');
  // Re-read the subject key fields by parsing them as a key blob.
  const fieldsStart = r.position;
  const fieldCount = keyType === 'ssh-ed25519' ? 1 : 2; // Ed25519: key; ECDSA: curve, point; RSA: e, n
  for (let i = 0; i < fieldCount; i++) r.string('subject key field');
  const subjectBlob = Buffer.concat([new SshWriter().string(keyType).toBuffer(), cert.subarray(fieldsStart, r.position)]);
  const publicKey = parseSshWirePublicKey(subjectBlob);
  const serial = r.uint64('serial');
  const typeCode = r.uint32('certificate role');
  const certType = typeCode === 1 ? 'user' : typeCode === 2 ? 'host' : undefined;
  if (certType === undefined) throw badParameter(`SSH certificate: unknown certificate role ${typeCode}`);
  const keyId = r.text('key id');
  const principalsReader = new SshReader(r.string('principals'), 'SSH certificate principals');
  const principals: string[] = [];
  while (principalsReader.remaining > 0) principals.push(principalsReader.text('principal'));
  const validAfter = r.uint64('valid after');
  const validBefore = r.uint64('valid before');
  const criticalOptions = decodeOptions(r.string('critical options'), 'SSH certificate critical options');
  const extensions = decodeOptions(r.string('extensions'), 'SSH certificate extensions');
  r.string('reserved');
  const signatureKey = parseSshWirePublicKey(r.string('signature key'));
  const signedLength = r.position;
  const signature = r.string('signature');
  r.expectEnd();
  if (!verifyBlob(signatureKey, cert.subarray(0, signedLength), signature)) {
    throw badParameter('SSH certificate: signature does not verify with the signature key');
  }
  const toDate = (s: bigint): Date => new Date(Number(s > 253402300799n ? 253402300799n : s) * 1000);
  return {
    certTypeName,
    publicKey,
    serial,
    certType,
    keyId,
    principals,
    validAfter: toDate(validAfter),
    validBefore: toDate(validBefore),
    criticalOptions,
    extensions,
    signatureKey,
  };
}
