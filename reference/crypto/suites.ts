// Signature algorithm suites: which key type the cluster uses for each key
// purpose. Values read from gravitational/teleport lib/cryptosuites/suites.go
// (commit 02cdf32d): purposes BoundKeypairJoining, BoundKeypairCAJWT,
// HostCATLS/UserCATLS, HostIdentity, UserCASSH/HostCASSH. An unspecified
// suite (the empty string on the wire) means `legacy`, as in Teleport.
import { badParameter } from '../protocol/errors.js';
import type { KeyAlgorithm } from './keys.js';

export const SIGNATURE_ALGORITHM_SUITES = ['legacy', 'balanced-v1', 'fips-v1', 'hsm-v1'] as const;
export type SignatureAlgorithmSuite = (typeof SIGNATURE_ALGORITHM_SUITES)[number];

export function isSignatureAlgorithmSuite(value: unknown): value is SignatureAlgorithmSuite {
  return typeof value === 'string' && (SIGNATURE_ALGORITHM_SUITES as readonly string[]).includes(value);
}

/** Normalises a suite name from the wire: '' / undefined → legacy; unknown → BadParameter. */
export function resolveSuite(suite: string | undefined): SignatureAlgorithmSuite {
  if (suite === undefined || suite === '') return 'legacy';
  if (!isSignatureAlgorithmSuite(suite)) throw badParameter(`unsupported signature algorithm suite "${suite}"`);
  return suite;
}

interface SuiteRow {
  boundKeypairJoining: KeyAlgorithm;
  boundKeypairCaJwt: KeyAlgorithm;
  tlsCa: KeyAlgorithm;
  hostIdentity: KeyAlgorithm;
  sshCa: KeyAlgorithm;
}

const SUITES: Record<SignatureAlgorithmSuite, SuiteRow> = {
  'legacy': { boundKeypairJoining: 'ed25519', boundKeypairCaJwt: 'ecdsa-p256', tlsCa: 'rsa', hostIdentity: 'rsa', sshCa: 'rsa' },
  'balanced-v1': { boundKeypairJoining: 'ed25519', boundKeypairCaJwt: 'ed25519', tlsCa: 'ecdsa-p256', hostIdentity: 'ecdsa-p256', sshCa: 'ed25519' },
  'fips-v1': { boundKeypairJoining: 'ecdsa-p256', boundKeypairCaJwt: 'ecdsa-p256', tlsCa: 'ecdsa-p256', hostIdentity: 'ecdsa-p256', sshCa: 'ecdsa-p256' },
  'hsm-v1': { boundKeypairJoining: 'ed25519', boundKeypairCaJwt: 'ecdsa-p256', tlsCa: 'ecdsa-p256', hostIdentity: 'ecdsa-p256', sshCa: 'ecdsa-p256' },
};

/** The key a client generates for bound keypair joining (tbot on rotation / `keypair create`). */
export function boundKeypairClientKeyAlgorithm(suite: string | undefined): KeyAlgorithm {
  return SUITES[resolveSuite(suite)].boundKeypairJoining;
}

/** The key type of the bound_keypair CA's JWT signing key, which signs join states. */
export function boundKeypairCaKeyAlgorithm(suite: string | undefined): KeyAlgorithm {
  return SUITES[resolveSuite(suite)].boundKeypairCaJwt;
}

/** The JWS algorithm of join states under a suite: ES256 (P-256) or EdDSA (Ed25519). */
export function boundKeypairCaAlgorithm(suite: string | undefined): 'ES256' | 'EdDSA' {
  return boundKeypairCaKeyAlgorithm(suite) === 'ed25519' ? 'EdDSA' : 'ES256';
}

/** The host and user CAs' TLS keys. */
export function tlsCaKeyAlgorithm(suite: string | undefined): KeyAlgorithm {
  return SUITES[resolveSuite(suite)].tlsCa;
}

/** A Teleport host identity's key (agents' certificate subject keys). */
export function hostIdentityKeyAlgorithm(suite: string | undefined): KeyAlgorithm {
  return SUITES[resolveSuite(suite)].hostIdentity;
}

/** The user/host CAs' SSH keys (UserCASSH and HostCASSH agree in every suite). */
export function sshCaKeyAlgorithm(suite: string | undefined): KeyAlgorithm {
  return SUITES[resolveSuite(suite)].sshCa;
}
