// Public API of the crypto layer shared by the reference auth server, the
// reference bot and the conformance steps.
export {
  DEFAULT_RSA_BITS, KEY_ALGORITHMS, MAX_RSA_BITS, MIN_RSA_BITS,
  encodePrivateKeyPem, generateKeyPair, isKeyAlgorithm, keyAlgorithmOf, parsePrivateKeyPem,
  publicKeyOf, publicKeysEqual, spkiDer,
} from './keys.js';
export type { KeyAlgorithm, KeyPair } from './keys.js';

export {
  encodeAuthorizedKey, encodeSshWirePublicKey, parseAuthorizedKey, parseSshWirePublicKey, sshKeyTypeOf,
} from './authorized-keys.js';
export type { SshKeyType } from './authorized-keys.js';

export { keyId } from './key-id.js';
export { algorithmForKey, algorithmForKeyAlgorithm, isJwsAlgorithm } from './jws-algorithms.js';
export type { JwsAlgorithm } from './jws-algorithms.js';

export { FORBIDDEN_JWS_HEADERS, parseCompactJws, signCompactJws, verifyCompactJwsSignature } from './jws.js';
export type { CompactJwsParts } from './jws.js';
export {
  CLAIMS_LEEWAY_MS, ERR_EXPIRED as ERR_JWT_EXPIRED, ERR_INVALID_AUDIENCE, ERR_INVALID_ISSUER, ERR_INVALID_SUBJECT,
  ERR_ISSUED_IN_THE_FUTURE, ERR_NOT_VALID_YET,
} from './jwt-claims.js';

export {
  CHALLENGE_NONCE_BYTES, CHALLENGE_NOT_BEFORE_SKEW_SECONDS, CHALLENGE_VALIDITY_SECONDS,
  issueChallenge, signChallenge, verifyChallengeResponse,
} from './challenge.js';
export type { ChallengeClaims, IssuedChallenge } from './challenge.js';

export { JOIN_STATE_ALGORITHMS, issueJoinState, verifyJoinState } from './join-state.js';
export type { JoinStateAlgorithm, JoinStateClaims, JoinStateSigner, TrustedJoinStateKey, VerifiedJoinState } from './join-state.js';

export { certificateDerToPem, createCertificateAuthority, loadCertificateAuthority, DEFAULT_CA_VALIDITY_DAYS } from './certificate-authority.js';
export type { CertificateAuthority } from './certificate-authority.js';
export { botUserName, issueBotCertificate, issueHostCertificate, issueServerCertificate } from './certificates.js';
export { parseIdentityCertificate, readIdentityCertificate } from './identity-certificate.js';
export type { IdentityCertificate } from './identity-certificate.js';
export {
  ERR_EXPIRED as ERR_CERT_EXPIRED, ERR_FOREIGN as ERR_CERT_FOREIGN, ERR_MALFORMED as ERR_CERT_MALFORMED,
  ERR_NOT_YET_VALID as ERR_CERT_NOT_YET_VALID, verifyCertificateChain,
} from './certificate-verification.js';
export type { CertificateVerification, VerifiedCertificate } from './certificate-verification.js';
export * as identityOids from './identity-oids.js';
export { x509 } from './x509-provider.js';

export {
  encodeSshCertificateAuthorizedKey, issueSshCertificate, issueSshHostCertificate, issueSshUserCertificate,
} from './ssh-certificates.js';
export type { IssueSshCertificateParams, SshCertificateType } from './ssh-certificates.js';
export { parseSshCertificate } from './ssh-certificate-parser.js';
export type { ParsedSshCertificate } from './ssh-certificate-parser.js';

export {
  SIGNATURE_ALGORITHM_SUITES, boundKeypairCaAlgorithm, boundKeypairCaKeyAlgorithm, boundKeypairClientKeyAlgorithm,
  hostIdentityKeyAlgorithm, isSignatureAlgorithmSuite, resolveSuite, sshCaKeyAlgorithm, tlsCaKeyAlgorithm,
} from './suites.js';
export type { SignatureAlgorithmSuite } from './suites.js';

export * from './limits.js';
