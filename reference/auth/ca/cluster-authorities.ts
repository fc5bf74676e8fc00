// The cluster's certificate authorities, created once per cluster and kept
// across conformance resets (a reset clears state, not the cluster's
// identity):
//  - host CA: signs the auth server's own TLS certificate (and agents' host certs);
//  - user CA: signs bot certificates, which later authenticate renewals;
//  - SSH user and host CAs: the user CA signs bots' SSH certificates; both
//    public keys go to clients as the SSH CAs to trust, as Teleport sends them;
//  - bound_keypair CA: a JWT signer for join state documents. It may carry
//    additional trusted keys, as during a CA rotation.
import type { KeyObject } from 'node:crypto';
import {
  createCertificateAuthority,
  generateKeyPair,
  issueServerCertificate,
  keyId,
  encodePrivateKeyPem,
  boundKeypairCaAlgorithm,
  tlsCaKeyAlgorithm,
  sshCaKeyAlgorithm,
} from '../../crypto/index.js';
import type { CertificateAuthority, SignatureAlgorithmSuite } from '../../crypto/index.js';

export interface JwtSigner {
  kid: string;
  alg: 'ES256' | 'EdDSA';
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export interface ClusterAuthorities {
  clusterName: string;
  /** The suite the CAs were created under; the suite in force is a setting and may differ later. */
  suite: SignatureAlgorithmSuite;
  hostCa: CertificateAuthority;
  userCa: CertificateAuthority;
  sshUserCa: { privateKey: KeyObject; publicKey: KeyObject };
  sshHostCa: { privateKey: KeyObject; publicKey: KeyObject };
  boundKeypair: { active: JwtSigner; additionalTrusted: JwtSigner[] };
  /** The auth server's TLS identity, issued by the host CA. */
  serverTls: { keyPem: string; certPem: string };
}

export interface CreateAuthoritiesOptions {
  clusterName: string;
  suite: SignatureAlgorithmSuite;
  now: Date;
  /** DNS names and IPs the join listener is reached by. */
  serverNames: { dnsNames: string[]; ipAddresses: string[] };
}

export async function createClusterAuthorities(opts: CreateAuthoritiesOptions): Promise<ClusterAuthorities> {
  const tlsAlgorithm = tlsCaKeyAlgorithm(opts.suite);
  const hostCa = await createCertificateAuthority({ commonName: opts.clusterName, clusterName: opts.clusterName, algorithm: tlsAlgorithm, now: opts.now });
  const userCa = await createCertificateAuthority({ commonName: opts.clusterName, clusterName: opts.clusterName, algorithm: tlsAlgorithm, now: opts.now });
  const sshUserCa = generateKeyPair(sshCaKeyAlgorithm(opts.suite));
  const sshHostCa = generateKeyPair(sshCaKeyAlgorithm(opts.suite));

  const server = generateKeyPair('ecdsa-p256');
  const serverCertDer = await issueServerCertificate({
    ca: hostCa,
    subjectPublicKey: server.publicKey,
    // Must differ from the CA's own name, or TLS clients take it for self-signed.
    commonName: `auth.${opts.clusterName}`,
    dnsNames: [opts.clusterName, ...opts.serverNames.dnsNames],
    ipAddresses: opts.serverNames.ipAddresses,
    notBefore: new Date(opts.now.getTime() - 60_000),
    // The listener's certificate is judged by clients at real time; give it a long life.
    notAfter: new Date(Math.max(opts.now.getTime(), Date.now()) + 365 * 24 * 3600_000),
  });

  return {
    clusterName: opts.clusterName,
    suite: opts.suite,
    hostCa,
    userCa,
    sshUserCa,
    sshHostCa,
    boundKeypair: { active: createJwtSigner(opts.suite), additionalTrusted: [] },
    serverTls: { keyPem: encodePrivateKeyPem(server.privateKey), certPem: derToPem(serverCertDer) },
  };
}

export function createJwtSigner(suite: SignatureAlgorithmSuite): JwtSigner {
  const alg = boundKeypairCaAlgorithm(suite);
  const pair = generateKeyPair(alg === 'EdDSA' ? 'ed25519' : 'ecdsa-p256');
  return { kid: keyId(pair.publicKey), alg, publicKey: pair.publicKey, privateKey: pair.privateKey };
}

/** Every key a join state may be signed with: the active one first. */
export function trustedJoinStateKeys(ca: ClusterAuthorities['boundKeypair']): JwtSigner[] {
  return [ca.active, ...ca.additionalTrusted];
}

export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`;
}
