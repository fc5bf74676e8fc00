// Verifying a client certificate against the cluster CAs at the server's
// clock (which may be virtual), instead of at wall-clock time inside the TLS
// stack: the reference server terminates TLS with rejectUnauthorized:false
// and calls this for the certificate the peer presented.
//
// Order of checks: parse (malformed), then issuer and signature (not issued
// by this cluster), then validity at `now` (expired / not yet valid). A
// certificate from a foreign CA is therefore reported as foreign even when
// it is also expired, and no time information leaks about foreign certs.
import { X509Certificate as NodeX509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { badParameter, unauthenticated } from '../protocol/errors.js';
import type { TraceError } from '../protocol/errors.js';
import { MAX_CERTIFICATE_DER_BYTES } from './limits.js';
import { x509 } from './x509-provider.js';

export const ERR_EXPIRED = 'certificate has expired';
export const ERR_NOT_YET_VALID = 'certificate is not yet valid';
export const ERR_FOREIGN = 'certificate was not issued by this cluster';
export const ERR_MALFORMED = 'malformed certificate';

export interface VerifiedCertificate {
  ok: true;
  certificate: x509.X509Certificate;
  issuer: x509.X509Certificate;
  /** The certificate's subject key, as OpenSSL decoded it while checking the signature. */
  subjectPublicKey: KeyObject;
}

/** Either the verified certificate or the (returned, not thrown) Unauthenticated error. */
export type CertificateVerification = VerifiedCertificate | TraceError;

function fail(message: string): TraceError {
  return unauthenticated(message);
}

function isCa(cert: x509.X509Certificate): boolean {
  return cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

/**
 * A trusted CA certificate in OpenSSL's form, or null when it is no CA:
 * worked out once per certificate object, not on every join (re-parsing both
 * trusted CAs cost a renewal more than its signature check). The objects are
 * the cluster's own and never change, so the cache cannot go stale; it holds
 * them weakly, so a rotated-out CA is not kept alive by it.
 */
const opensslCas = new WeakMap<x509.X509Certificate, NodeX509Certificate | null>();

function opensslCa(ca: x509.X509Certificate): NodeX509Certificate | null {
  let form = opensslCas.get(ca);
  if (form === undefined) {
    form = isCa(ca) ? new NodeX509Certificate(Buffer.from(ca.rawData)) : null;
    opensslCas.set(ca, form);
  }
  return form;
}

export function verifyCertificateChain(params: {
  certificateDer: Buffer;
  caCertificates: x509.X509Certificate[];
  now: Date;
}): CertificateVerification {
  const { certificateDer, caCertificates, now } = params;
  if (Number.isNaN(now.getTime())) throw badParameter('verifying certificate: invalid current time');
  if (certificateDer.length === 0 || certificateDer.length > MAX_CERTIFICATE_DER_BYTES) return fail(ERR_MALFORMED);

  let leaf: x509.X509Certificate;
  let nodeLeaf: NodeX509Certificate;
  try {
    leaf = new x509.X509Certificate(certificateDer);
    nodeLeaf = new NodeX509Certificate(certificateDer);
  } catch {
    return fail(ERR_MALFORMED);
  }
  // A CA certificate is not an identity, even one signed by a trusted CA.
  // OpenSSL's answer (basicConstraints CA:TRUE) saves decoding every
  // extension of the leaf in JavaScript.
  if (nodeLeaf.ca) return fail(`${ERR_FOREIGN}: a CA certificate is not an identity certificate`);

  let issuer: x509.X509Certificate | undefined;
  for (const ca of caCertificates) {
    const nodeCa = opensslCa(ca);
    if (!nodeCa) continue;
    // checkIssued compares names (and key identifiers); verify checks the
    // signature with OpenSSL, which handles Ed25519, ECDSA and RSA alike.
    if (nodeLeaf.checkIssued(nodeCa) && nodeLeaf.verify(nodeCa.publicKey)) {
      issuer = ca;
      break;
    }
  }
  if (issuer === undefined) return fail(ERR_FOREIGN);

  const t = now.getTime();
  if (t < leaf.notBefore.getTime()) return fail(ERR_NOT_YET_VALID);
  if (t > leaf.notAfter.getTime()) return fail(ERR_EXPIRED);
  if (t < issuer.notBefore.getTime()) return fail(`${ERR_NOT_YET_VALID}: the issuing CA certificate is not yet valid`);
  if (t > issuer.notAfter.getTime()) return fail(`${ERR_EXPIRED}: the issuing CA certificate has expired`);
  return { ok: true, certificate: leaf, issuer, subjectPublicKey: nodeLeaf.publicKey };
}
