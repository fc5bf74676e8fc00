// A cluster's TLS certificate authority: a self-signed CA certificate plus
// its key. The reference auth server uses one to sign its own TLS listener
// certificate and the bot/host identity certificates a join returns.
import type { KeyObject } from 'node:crypto';
import { badParameter } from '../protocol/errors.js';
import { generateKeyPair, keyAlgorithmOf, publicKeyOf, spkiDer } from './keys.js';
import type { KeyAlgorithm } from './keys.js';
import {
  certificateSigningAlgorithm,
  importSigningKey,
  importVerifyingKey,
  randomSerialNumber,
  signingCrypto,
  wholeSeconds,
  x509,
} from './x509-provider.js';
import type { WebCryptoKey } from './x509-provider.js';

export const DEFAULT_CA_VALIDITY_DAYS = 3650;
const DAY_MS = 86_400_000;

export interface CertificateAuthority {
  certificate: x509.X509Certificate;
  certificatePem: string;
  certificateDer: Buffer;
  privateKey: KeyObject;
  publicKey: KeyObject;
  algorithm: KeyAlgorithm;
  clusterName: string;
  /** The private key imported for @peculiar/x509 signing, cached. */
  signingKey: WebCryptoKey;
}

/**
 * Creates a self-signed CA: subject O=<clusterName>, CN=<commonName, default
 * clusterName> (Teleport names its CAs after the cluster), basicConstraints
 * CA:true (critical), keyUsage keyCertSign+cRLSign+digitalSignature
 * (critical), valid from `now` (whole seconds) for `validityDays`.
 * Pass `privateKey` to reuse a stored key instead of generating one.
 */
export async function createCertificateAuthority(params: {
  commonName?: string;
  clusterName: string;
  algorithm: KeyAlgorithm;
  now: Date;
  validityDays?: number;
  privateKey?: KeyObject;
}): Promise<CertificateAuthority> {
  const { clusterName, algorithm, now } = params;
  if (clusterName === '') throw badParameter('creating certificate authority: cluster name is required');
  const validityDays = params.validityDays ?? DEFAULT_CA_VALIDITY_DAYS;
  if (!Number.isFinite(validityDays) || validityDays <= 0) throw badParameter('creating certificate authority: validity must be positive');
  const privateKey = params.privateKey ?? generateKeyPair(algorithm).privateKey;
  if (privateKey.type !== 'private') throw badParameter('creating certificate authority: expected a private key');
  if (keyAlgorithmOf(privateKey) !== algorithm) {
    throw badParameter(`creating certificate authority: the supplied key is not a ${algorithm} key`);
  }
  const publicKey = publicKeyOf(privateKey);
  const signingKey = await importSigningKey(privateKey);
  const verifyingKey = await importVerifyingKey(publicKey);
  const notBefore = wholeSeconds(now);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: new x509.Name([{ '2.5.4.10': [clusterName] }, { '2.5.4.3': [params.commonName ?? clusterName] }]),
    notBefore,
    notAfter: new Date(notBefore.getTime() + validityDays * DAY_MS),
    keys: { privateKey: signingKey, publicKey: verifyingKey },
    signingAlgorithm: certificateSigningAlgorithm(algorithm),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(spkiDer(publicKey)),
    ],
  }, signingCrypto);
  const certificateDer = Buffer.from(certificate.rawData);
  return {
    certificate,
    certificatePem: certificate.toString('pem'),
    certificateDer,
    privateKey,
    publicKey,
    algorithm,
    clusterName,
    signingKey,
  };
}

/** PEM text of a DER certificate (for TLS options and files). */
export function certificateDerToPem(der: Buffer): string {
  return new x509.X509Certificate(der).toString('pem');
}

/**
 * Rebuilds a CA from its stored certificate and private key (a durable
 * store keeps them so certificates and join states issued before a restart
 * stay verifiable). Refuses a key that does not match the certificate.
 */
export async function loadCertificateAuthority(params: { certificatePem: string; privateKey: KeyObject }): Promise<CertificateAuthority> {
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(params.certificatePem);
  } catch (err) {
    throw badParameter(`loading certificate authority: the stored certificate does not parse (${err instanceof Error ? err.message : err})`);
  }
  const privateKey = params.privateKey;
  if (privateKey.type !== 'private') throw badParameter('loading certificate authority: expected a private key');
  const publicKey = publicKeyOf(privateKey);
  if (!Buffer.from(certificate.publicKey.rawData).equals(spkiDer(publicKey))) {
    throw badParameter('loading certificate authority: the stored private key does not match the stored certificate');
  }
  const clusterName = certificate.subjectName.getField('2.5.4.10')[0] ?? '';
  return {
    certificate,
    certificatePem: certificate.toString('pem'),
    certificateDer: Buffer.from(certificate.rawData),
    privateKey,
    publicKey,
    algorithm: keyAlgorithmOf(privateKey),
    clusterName,
    signingKey: await importSigningKey(privateKey),
  };
}
