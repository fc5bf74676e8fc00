// Leaf certificates signed by a cluster CA:
// - the auth server's own TLS listener certificate (serverAuth);
// - bot identity certificates (clientAuth), which a renewal presents back so
//   the server can read bot name, bot instance, generation and join token;
// - host (agent) identity certificates.
// Identity fields live in the subject DN as Teleport's tlsca package puts
// them (see identity-oids.ts), so a Teleport-aware parser reads them too
// (all but the join token, which has no known Teleport OID).
import { isIP } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import type { CertificateAuthority } from './certificate-authority.js';
import * as oid from './identity-oids.js';
import { keyAlgorithmOf, spkiDer } from './keys.js';
import { certificateSigningAlgorithm, randomSerialNumber, signingCrypto, wholeSeconds, x509 } from './x509-provider.js';

type NameParams = ConstructorParameters<typeof x509.Name>[0];
type Attribute = Record<string, { utf8String: string }[]>;

function utf8(type: string, ...values: string[]): Attribute {
  return { [type]: values.map((v) => ({ utf8String: v })) };
}

interface LeafParams {
  ca: CertificateAuthority;
  subjectPublicKey: KeyObject;
  subject: Attribute[];
  notBefore: Date;
  notAfter: Date;
  usages: ('serverAuth' | 'clientAuth')[];
  dnsNames?: string[];
  ipAddresses?: string[];
}

/**
 * Extensions that depend only on the issuing CA or on fixed choices, encoded
 * once rather than for every certificate: the authority key identifier costs
 * a key export, a digest and an ASN.1 encoding per CA key, the others an
 * encoding each. Extensions are immutable DER once built, so sharing them
 * between certificates is safe; the CA's key object is the cache key, held
 * weakly.
 */
const authorityKeyIds = new WeakMap<KeyObject, Promise<x509.Extension>>();
const fixedExtensions = new Map<string, x509.Extension>();

function authorityKeyIdentifier(caPublicKey: KeyObject): Promise<x509.Extension> {
  let ext = authorityKeyIds.get(caPublicKey);
  if (!ext) {
    ext = x509.AuthorityKeyIdentifierExtension.create(spkiDer(caPublicKey));
    // A failure is not cached: the next certificate tries again.
    ext.catch(() => authorityKeyIds.delete(caPublicKey));
    authorityKeyIds.set(caPublicKey, ext);
  }
  return ext;
}

function fixedExtension(key: string, make: () => x509.Extension): x509.Extension {
  let ext = fixedExtensions.get(key);
  if (!ext) fixedExtensions.set(key, (ext = make()));
  return ext;
}

async function issueLeaf(p: LeafParams): Promise<Buffer> {
  const subjectAlg = keyAlgorithmOf(p.subjectPublicKey);
  const notBefore = wholeSeconds(p.notBefore);
  const notAfter = wholeSeconds(p.notAfter);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()) || notAfter <= notBefore) {
    throw badParameter('issuing certificate: notAfter must be later than notBefore');
  }
  // Go's x509 adds keyEncipherment for RSA subject keys (RSA key exchange in
  // TLS 1.2); ECDSA and Ed25519 keys only sign.
  let keyUsage = x509.KeyUsageFlags.digitalSignature;
  if (subjectAlg === 'rsa') keyUsage |= x509.KeyUsageFlags.keyEncipherment;
  const extensions: x509.Extension[] = [
    fixedExtension('basic-constraints:leaf', () => new x509.BasicConstraintsExtension(false, undefined, true)),
    fixedExtension(`key-usage:${keyUsage}`, () => new x509.KeyUsagesExtension(keyUsage, true)),
    fixedExtension(`extended-key-usage:${p.usages.join(',')}`, () => new x509.ExtendedKeyUsageExtension(p.usages.map((u) => x509.ExtendedKeyUsage[u]))),
    await authorityKeyIdentifier(p.ca.publicKey),
  ];
  const names = [
    ...(p.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(p.ipAddresses ?? []).map((value) => {
      if (isIP(value) === 0) throw badParameter(`issuing certificate: "${value}" is not an IP address`);
      return { type: 'ip' as const, value };
    }),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: new x509.Name(p.subject as NameParams),
    issuer: p.ca.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey: spkiDer(p.subjectPublicKey),
    signingKey: p.ca.signingKey,
    signingAlgorithm: certificateSigningAlgorithm(p.ca.algorithm),
    extensions,
  }, signingCrypto);
  return Buffer.from(cert.rawData);
}

/**
 * The auth server's TLS listener certificate. Typical names: localhost,
 * 127.0.0.1, ::1 and the server's advertised host name.
 */
export async function issueServerCertificate(params: {
  ca: CertificateAuthority;
  subjectPublicKey: KeyObject;
  commonName?: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
}): Promise<Buffer> {
  const cn = params.commonName ?? params.dnsNames[0] ?? params.ipAddresses[0] ?? 'auth';
  return issueLeaf({
    ca: params.ca,
    subjectPublicKey: params.subjectPublicKey,
    subject: [utf8(oid.ORGANIZATION, params.ca.clusterName), utf8(oid.COMMON_NAME, cn)],
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    usages: ['serverAuth'],
    dnsNames: params.dnsNames,
    ipAddresses: params.ipAddresses,
  });
}

/** Teleport's user name for a bot: `bot-<name>`, which is also its role name. */
export function botUserName(botName: string): string {
  return `bot-${botName}`;
}

function requireText(value: string, what: string): void {
  if (typeof value !== 'string' || value === '') throw badParameter(`issuing certificate: ${what} is required`);
}

/**
 * A bot identity: CN and O = `bot-<botName>` (user and role), plus Teleport's
 * cluster, bot name, bot instance and generation attributes and the join
 * token name (private OID). Not marked renewable: bound keypair bots renew by
 * re-running the join ceremony.
 */
export async function issueBotCertificate(params: {
  ca: CertificateAuthority;
  subjectPublicKey: KeyObject;
  clusterName: string;
  botName: string;
  botInstanceId: string;
  generation: number;
  joinToken: string;
  joinAttributes?: Record<string, unknown>;
  notBefore: Date;
  notAfter: Date;
}): Promise<Buffer> {
  requireText(params.clusterName, 'cluster name');
  requireText(params.botName, 'bot name');
  requireText(params.botInstanceId, 'bot instance ID');
  requireText(params.joinToken, 'join token name');
  if (!Number.isSafeInteger(params.generation) || params.generation < 1) {
    throw badParameter(`issuing certificate: generation must be a positive integer, got ${params.generation}`);
  }
  const user = botUserName(params.botName);
  const subject = [
    utf8(oid.ORGANIZATION, user),
    utf8(oid.COMMON_NAME, user),
    utf8(oid.TELEPORT_CLUSTER, params.clusterName),
    utf8(oid.GENERATION, String(params.generation)),
    utf8(oid.BOT_NAME, params.botName),
    utf8(oid.BOT_INSTANCE_ID, params.botInstanceId),
    utf8(oid.JOIN_TOKEN, params.joinToken),
  ];
  if (params.joinAttributes !== undefined) subject.push(utf8(oid.JOIN_ATTRIBUTES, JSON.stringify(params.joinAttributes)));
  return issueLeaf({
    ca: params.ca,
    subjectPublicKey: params.subjectPublicKey,
    subject,
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    usages: ['clientAuth'],
  });
}

/**
 * A host (agent) identity: CN = host ID, O = the system roles (e.g.
 * `Instance`), each role also as a Teleport system-role attribute, the
 * cluster attribute and optionally the join token. Both client and server
 * auth, since agents dial and serve.
 */
export async function issueHostCertificate(params: {
  ca: CertificateAuthority;
  subjectPublicKey: KeyObject;
  clusterName: string;
  hostId: string;
  systemRoles: string[];
  joinToken?: string;
  dnsNames?: string[];
  notBefore: Date;
  notAfter: Date;
}): Promise<Buffer> {
  requireText(params.clusterName, 'cluster name');
  requireText(params.hostId, 'host ID');
  if (params.systemRoles.length === 0) throw badParameter('issuing certificate: at least one system role is required');
  const subject = [
    utf8(oid.ORGANIZATION, ...params.systemRoles),
    utf8(oid.COMMON_NAME, params.hostId),
    utf8(oid.TELEPORT_CLUSTER, params.clusterName),
    ...params.systemRoles.map((r) => utf8(oid.SYSTEM_ROLES, r)),
  ];
  if (params.joinToken) subject.push(utf8(oid.JOIN_TOKEN, params.joinToken));
  return issueLeaf({
    ca: params.ca,
    subjectPublicKey: params.subjectPublicKey,
    subject,
    notBefore: params.notBefore,
    notAfter: params.notAfter,
    usages: ['serverAuth', 'clientAuth'],
    dnsNames: params.dnsNames ?? [],
  });
}
