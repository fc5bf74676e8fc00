// The cluster's authorities as a JSON record, so a durable store can keep
// them: a restarted server, or a second server sharing a PostgreSQL store,
// must sign with the same keys or every certificate and join state issued
// before would stop verifying.
import { createPublicKey } from 'node:crypto';
import { encodePrivateKeyPem, parsePrivateKeyPem, loadCertificateAuthority, keyId } from '../../crypto/index.js';
import type { SignatureAlgorithmSuite } from '../../crypto/index.js';
import { badParameter } from '../../protocol/errors.js';
import type { ClusterAuthorities, JwtSigner } from './cluster-authorities.js';

interface StoredSigner { alg: JwtSigner['alg']; private_key: string }

interface StoredAuthorities {
  version: 1;
  cluster_name: string;
  suite: SignatureAlgorithmSuite;
  host_ca: { certificate: string; private_key: string };
  user_ca: { certificate: string; private_key: string };
  ssh_user_ca: { private_key: string };
  ssh_host_ca: { private_key: string };
  bound_keypair: { active: StoredSigner; additional_trusted: StoredSigner[] };
  server_tls: { key: string; certificate: string };
}

export const AUTHORITIES_RECORD = 'cluster-authorities';

export function encodeAuthorities(a: ClusterAuthorities): string {
  const signer = (s: JwtSigner): StoredSigner => ({ alg: s.alg, private_key: encodePrivateKeyPem(s.privateKey) });
  const stored: StoredAuthorities = {
    version: 1,
    cluster_name: a.clusterName,
    suite: a.suite,
    host_ca: { certificate: a.hostCa.certificatePem, private_key: encodePrivateKeyPem(a.hostCa.privateKey) },
    user_ca: { certificate: a.userCa.certificatePem, private_key: encodePrivateKeyPem(a.userCa.privateKey) },
    ssh_user_ca: { private_key: encodePrivateKeyPem(a.sshUserCa.privateKey) },
    ssh_host_ca: { private_key: encodePrivateKeyPem(a.sshHostCa.privateKey) },
    bound_keypair: { active: signer(a.boundKeypair.active), additional_trusted: a.boundKeypair.additionalTrusted.map(signer) },
    server_tls: { key: a.serverTls.keyPem, certificate: a.serverTls.certPem },
  };
  return JSON.stringify(stored);
}

export async function decodeAuthorities(text: string): Promise<ClusterAuthorities> {
  const s = JSON.parse(text) as StoredAuthorities;
  if (s.version !== 1) throw badParameter(`stored cluster authorities have unknown version ${String(s.version)}`);
  const signer = (x: StoredSigner): JwtSigner => {
    const privateKey = parsePrivateKeyPem(x.private_key);
    const publicKey = createPublicKey(privateKey);
    return { alg: x.alg, privateKey, publicKey, kid: keyId(publicKey) };
  };
  const sshKeyPair = (pem: string) => {
    const privateKey = parsePrivateKeyPem(pem);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  };
  return {
    clusterName: s.cluster_name,
    suite: s.suite,
    hostCa: await loadCertificateAuthority({ certificatePem: s.host_ca.certificate, privateKey: parsePrivateKeyPem(s.host_ca.private_key) }),
    userCa: await loadCertificateAuthority({ certificatePem: s.user_ca.certificate, privateKey: parsePrivateKeyPem(s.user_ca.private_key) }),
    sshUserCa: sshKeyPair(s.ssh_user_ca.private_key),
    sshHostCa: sshKeyPair(s.ssh_host_ca.private_key),
    boundKeypair: { active: signer(s.bound_keypair.active), additionalTrusted: s.bound_keypair.additional_trusted.map(signer) },
    serverTls: { keyPem: s.server_tls.key, certPem: s.server_tls.certificate },
  };
}
