// Reading a Teleport identity back out of a certificate: the fields a
// renewal needs (bot name, bot instance, generation, join token) or a host
// identity's host ID and roles. Parsing only; verifyCertificateChain decides
// whether the certificate is to be trusted.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import * as oid from './identity-oids.js';
import { isJsonObject } from './jws.js';
import { keyAlgorithmOf } from './keys.js';
import { MAX_CERTIFICATE_DER_BYTES } from './limits.js';
import { x509 } from './x509-provider.js';

export interface IdentityCertificate {
  /** Subject CN: `bot-<name>` for bots, the host ID for hosts. */
  username: string;
  /** Subject O values: the bot role, or the host's system roles. */
  groups: string[];
  systemRoles: string[];
  clusterName?: string;
  botName?: string;
  botInstanceId?: string;
  generation?: number;
  joinToken?: string;
  joinAttributes?: Record<string, unknown>;
  /** Set for host identities (system roles, no bot name): the CN. */
  hostId?: string;
  notBefore: Date;
  notAfter: Date;
  serialNumber: string;
  issuerDer: Buffer;
  subjectPublicKey: KeyObject;
}

function parseFailure(detail: string): Error {
  return badParameter(`parsing identity certificate: malformed certificate: ${detail}`);
}

/** Reads the identity fields back out of a DER certificate. Does not verify it. */
export function parseIdentityCertificate(der: Buffer): IdentityCertificate {
  if (der.length === 0 || der.length > MAX_CERTIFICATE_DER_BYTES) throw parseFailure(`size ${der.length} bytes`);
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(der);
  } catch (err) {
    throw parseFailure(err instanceof Error ? err.message : String(err));
  }
  return readIdentityCertificate(cert);
}

/**
 * The same, from a certificate already parsed (say, by verifyCertificateChain):
 * decoding a certificate is most of what reading an identity costs, so a
 * renewal decodes its client certificate once, not twice. `subjectPublicKey`
 * is the certificate's own key when the caller already holds it (OpenSSL's
 * decoding, from the verification), which saves decoding it a second time.
 */
export function readIdentityCertificate(cert: x509.X509Certificate, subjectPublicKey?: KeyObject): IdentityCertificate {
  // Each attribute may occur in several RDNs; collect all values per OID.
  const fields = new Map<string, string[]>();
  for (const rdn of cert.subjectName.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) {
      const key = type === 'CN' ? oid.COMMON_NAME : type === 'O' ? oid.ORGANIZATION : type;
      fields.set(key, [...(fields.get(key) ?? []), ...values]);
    }
  }
  const single = (type: string, name: string): string | undefined => {
    const values = fields.get(type);
    if (values === undefined) return undefined;
    if (values.length !== 1) throw parseFailure(`${name} appears ${values.length} times`);
    return values[0];
  };
  const username = single(oid.COMMON_NAME, 'common name') ?? '';
  const generationText = single(oid.GENERATION, 'generation');
  let generation: number | undefined;
  if (generationText !== undefined) {
    if (!/^[0-9]{1,15}$/.test(generationText)) throw parseFailure(`generation "${generationText}" is not a decimal number`);
    generation = Number(generationText);
  }
  const joinAttributesText = single(oid.JOIN_ATTRIBUTES, 'join attributes');
  let joinAttributes: Record<string, unknown> | undefined;
  if (joinAttributesText !== undefined) {
    try {
      const parsed: unknown = JSON.parse(joinAttributesText);
      if (!isJsonObject(parsed)) throw new Error('not an object');
      joinAttributes = parsed;
    } catch {
      throw parseFailure('join attributes are not a JSON object');
    }
  }
  const identity: IdentityCertificate = {
    username,
    groups: fields.get(oid.ORGANIZATION) ?? [],
    systemRoles: fields.get(oid.SYSTEM_ROLES) ?? [],
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    serialNumber: cert.serialNumber,
    issuerDer: Buffer.from(cert.issuerName.toArrayBuffer()),
    subjectPublicKey: subjectKey(cert, subjectPublicKey),
  };
  const clusterName = single(oid.TELEPORT_CLUSTER, 'cluster name');
  if (clusterName !== undefined) identity.clusterName = clusterName;
  const botName = single(oid.BOT_NAME, 'bot name');
  if (botName !== undefined) identity.botName = botName;
  // A host identity is one with system roles and no bot name; anything else
  // (e.g. the server's own listener certificate) names no host.
  else if (username !== '' && identity.systemRoles.length > 0) identity.hostId = username;
  const botInstanceId = single(oid.BOT_INSTANCE_ID, 'bot instance ID');
  if (botInstanceId !== undefined) identity.botInstanceId = botInstanceId;
  if (generation !== undefined) identity.generation = generation;
  const joinToken = single(oid.JOIN_TOKEN, 'join token');
  if (joinToken !== undefined) identity.joinToken = joinToken;
  if (joinAttributes !== undefined) identity.joinAttributes = joinAttributes;
  return identity;
}

function subjectKey(cert: x509.X509Certificate, known: KeyObject | undefined): KeyObject {
  try {
    const key = known ?? createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' });
    keyAlgorithmOf(key);
    return key;
  } catch (err) {
    throw parseFailure(`subject public key: ${err instanceof Error ? err.message : String(err)}`);
  }
}
