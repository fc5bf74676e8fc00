// Turning the server's BotResult into what the bot keeps: its identity
// (certificates for the per-join subject key, C-JP-4) and the bound keypair
// result the client state must accept (C-RS-1). Everything is checked
// before anything is stored: a certificate the bot cannot use must not
// replace a working one.
import { X509Certificate } from 'node:crypto';
import { encodeAuthorizedKey, encodeSshCertificateAuthorizedKey, parseSshWirePublicKey, publicKeysEqual } from '../../crypto/index.js';
import type { KeyPair } from '../../crypto/index.js';
import type { BotResult } from '../../protocol/messages.js';
import type { BotIdentity } from './join-types.js';

export const ERR_MISSING_BOUND_KEYPAIR = 'register result is missing bound keypair parameters';

export interface AcceptedResult {
  identity: BotIdentity;
  boundKeypair: { publicKey: string; joinState: Buffer };
}

/** Throws an Error naming what is wrong with the result. */
export function readBotResult(result: BotResult, subject: KeyPair): AcceptedResult {
  const bkp = result.bound_keypair_result;
  if (!bkp) throw new Error(ERR_MISSING_BOUND_KEYPAIR);
  const certs = result.certificates;
  if (!certs?.tls_cert?.length) throw new Error('register result is missing the TLS certificate');
  if (!certs.ssh_cert?.length) throw new Error('register result is missing the SSH certificate');
  let tls: X509Certificate;
  try {
    tls = new X509Certificate(certs.tls_cert);
  } catch (err) {
    throw new Error(`register result: the TLS certificate does not parse: ${message(err)}`, { cause: err });
  }
  if (!publicKeysEqual(tls.publicKey, subject.publicKey)) {
    throw new Error('register result: the TLS certificate was issued for a different public key than the one this join sent');
  }
  const tlsCaPems = (certs.tls_ca_certs ?? []).map((der, i) => {
    try {
      return new X509Certificate(der).toString();
    } catch (err) {
      throw new Error(`register result: TLS CA certificate ${i} does not parse: ${message(err)}`, { cause: err });
    }
  });
  let sshCert: string;
  try {
    sshCert = encodeSshCertificateAuthorizedKey(certs.ssh_cert);
  } catch (err) {
    throw new Error(`register result: the SSH certificate does not parse: ${message(err)}`, { cause: err });
  }
  const sshCaKeys = (certs.ssh_ca_keys ?? []).map((wire, i) => {
    try {
      return encodeAuthorizedKey(parseSshWirePublicKey(wire));
    } catch (err) {
      throw new Error(`register result: SSH CA key ${i} does not parse: ${message(err)}`, { cause: err });
    }
  });
  return {
    identity: {
      keyPem: subject.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      tlsCertPem: tls.toString(),
      tlsCaPems,
      sshCert,
      sshCaKeys,
    },
    boundKeypair: {
      publicKey: (bkp.public_key ?? Buffer.alloc(0)).toString('utf8'),
      joinState: bkp.join_state ?? Buffer.alloc(0),
    },
  };
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
