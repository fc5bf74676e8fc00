// Issuing OpenSSH certificates (PROTOCOL.certkeys), as returned in a join
// result's `Certificates.ssh_cert`, hand-written on the SSH wire helpers.
// ssh-certificate-parser.ts reads and verifies them.
//
// Layout of the signed body (all SSH wire types):
//   string  cert type name (e.g. ssh-ed25519-cert-v01@openssh.com)
//   string  nonce
//   ...     the subject key's fields (its wire encoding minus the type name)
//   uint64  serial          uint32 type (1 user, 2 host)
//   string  key id          string valid principals (packed strings)
//   uint64  valid after     uint64 valid before
//   string  critical options  string extensions  (sorted name/data pairs)
//   string  reserved        string signature key (CA public key blob)
// followed by `string signature` over everything above.
import { randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import { encodeSshWirePublicKey, sshKeyTypeOf } from './authorized-keys.js';
import type { SshKeyType } from './authorized-keys.js';
import { keyAlgorithmOf } from './keys.js';
import { SshReader, SshWriter } from './ssh-wire.js';

export type SshCertificateType = 'user' | 'host';

const CERT_TYPE_CODES: Record<SshCertificateType, number> = { user: 1, host: 2 };

export const CERT_TYPE_NAMES: Record<SshKeyType, string> = {
  'ssh-ed25519': 'ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256': 'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ssh-rsa': 'ssh-rsa-cert-v01@openssh.com',
};

export const P256_SCALAR_BYTES = 32;

export interface IssueSshCertificateParams {
  caPrivateKey: KeyObject;
  subjectPublicKey: KeyObject;
  keyId: string;
  principals: string[];
  validAfter: Date;
  validBefore: Date;
  /** Name → value; an empty value is a flag (e.g. permit-pty). */
  extensions?: Record<string, string>;
  criticalOptions?: Record<string, string>;
  serial?: bigint;
}

function seconds(d: Date, what: string): bigint {
  const ms = d.getTime();
  if (Number.isNaN(ms) || ms < 0) throw badParameter(`issuing SSH certificate: invalid ${what}`);
  return BigInt(Math.floor(ms / 1000));
}

/**
 * Options and extensions: sorted by name, each value wrapped in a string
 * (so a non-empty value is a string inside a string), flags have empty data.
 */
function encodeOptions(options: Record<string, string>): Buffer {
  const w = new SshWriter();
  for (const name of Object.keys(options).sort()) {
    if (name === '') throw badParameter('issuing SSH certificate: empty option name');
    const value = options[name] ?? '';
    w.string(name).string(value === '' ? Buffer.alloc(0) : new SshWriter().string(value).toBuffer());
  }
  return w.toBuffer();
}

/** Signature blob: string algorithm name, string signature (RFC 4253 §6.6, RFC 5656 §3.1.2, RFC 8332). */
function signBlob(caPrivateKey: KeyObject, data: Buffer): Buffer {
  switch (keyAlgorithmOf(caPrivateKey)) {
    case 'ed25519':
      return new SshWriter().string('ssh-ed25519').string(sign(null, data, caPrivateKey)).toBuffer();
    case 'ecdsa-p256': {
      const rs = sign('sha256', data, { key: caPrivateKey, dsaEncoding: 'ieee-p1363' });
      const inner = new SshWriter()
        .mpint(rs.subarray(0, P256_SCALAR_BYTES))
        .mpint(rs.subarray(P256_SCALAR_BYTES))
        .toBuffer();
      return new SshWriter().string('ecdsa-sha2-nistp256').string(inner).toBuffer();
    }
    case 'rsa':
      // rsa-sha2-512: SHA-1 "ssh-rsa" signatures are refused by modern OpenSSH.
      return new SshWriter().string('rsa-sha2-512').string(sign('sha512', data, caPrivateKey)).toBuffer();
  }
}

export function issueSshCertificate(params: IssueSshCertificateParams & { certType: SshCertificateType }): Buffer {
  if (params.caPrivateKey.type !== 'private') throw badParameter('issuing SSH certificate: CA key must be a private key');
  const subjectBlob = encodeSshWirePublicKey(params.subjectPublicKey);
  const subjectType = sshKeyTypeOf(params.subjectPublicKey);
  // The subject's key fields follow its type name in the wire blob.
  const typeReader = new SshReader(subjectBlob, 'subject key');
  typeReader.string('key type');
  const subjectFields = subjectBlob.subarray(typeReader.position);
  const validAfter = seconds(params.validAfter, 'validAfter');
  const validBefore = seconds(params.validBefore, 'validBefore');
  if (validBefore <= validAfter) throw badParameter('issuing SSH certificate: validBefore must be later than validAfter');
  const principals = new SshWriter();
  for (const p of params.principals) {
    if (p === '') throw badParameter('issuing SSH certificate: empty principal');
    principals.string(p);
  }
  const serial = params.serial ?? randomBytes(8).readBigUInt64BE();
  const body = new SshWriter()
    .string(CERT_TYPE_NAMES[subjectType])
    .string(randomBytes(32))
    .raw(subjectFields)
    .uint64(serial)
    .uint32(CERT_TYPE_CODES[params.certType])
    .string(params.keyId)
    .string(principals.toBuffer())
    .uint64(validAfter)
    .uint64(validBefore)
    .string(encodeOptions(params.criticalOptions ?? {}))
    .string(encodeOptions(params.extensions ?? {}))
    .string(Buffer.alloc(0))
    .string(encodeSshWirePublicKey(params.caPrivateKey))
    .toBuffer();
  return Buffer.concat([body, new SshWriter().string(signBlob(params.caPrivateKey, body)).toBuffer()]);
}

export function issueSshUserCertificate(params: IssueSshCertificateParams): Buffer {
  return issueSshCertificate({ ...params, certType: 'user' });
}

export function issueSshHostCertificate(params: IssueSshCertificateParams): Buffer {
  return issueSshCertificate({ ...params, certType: 'host' });
}

/** `<cert type name> <base64>`, the form of an OpenSSH `*-cert.pub` file. */
export function encodeSshCertificateAuthorizedKey(cert: Buffer): string {
  const type = new SshReader(cert, 'SSH certificate').text('certificate type');
  return `${type} ${cert.toString('base64')}`;
}
