// Credentials for an agent (system role Instance, §8): a host ID minted at
// onboarding and at every recovery, kept on renewal, and host certificates
// for it — TLS from the host CA, SSH from the SSH host CA. Agents have no bot
// instance records and no generation counter.
import { randomUUID } from 'node:crypto';
import { encodeSshWirePublicKey, issueHostCertificate, issueSshHostCertificate } from '../../../crypto/index.js';
import type { Certificates, HostParams } from '../../../protocol/messages.js';
import { badParameter } from '../../../protocol/errors.js';
import type { JoinAttempt } from '../join-context.js';
import type { SubjectKeys } from './credentials.js';
import { parseSubjectKeys } from './credentials.js';

export interface ParsedHostParams {
  keys: SubjectKeys;
  hostName: string;
  additionalPrincipals: string[];
  dnsNames: string[];
}

export function parseHostParams(params: HostParams | undefined): ParsedHostParams {
  if (!params?.host_name) throw badParameter('checking HostParams: HostName is required');
  return {
    keys: parseSubjectKeys(params.public_keys, 'HostParams'),
    hostName: params.host_name,
    additionalPrincipals: params.additional_principals ?? [],
    dnsNames: params.dns_names ?? [],
  };
}

/** A new host ID for onboarding and recovery; the presented one on renewal. */
export function hostIdFor(j: JoinAttempt, newIdentity: boolean): string {
  return newIdentity ? randomUUID() : (j.auth.hostId ?? '');
}

/**
 * Host certificates carry the Instance system role only (Teleport's Instance
 * identity). Agents receive long-lived certificates; the reference server
 * gives them the maximum certificate lifetime (24 h) — Teleport's exact host
 * certificate TTL was not verified.
 */
export async function issueHostCertificates(j: JoinAttempt, host: ParsedHostParams, hostId: string): Promise<Certificates> {
  const { authorities } = j.deps;
  const now = j.deps.clock.now();
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + j.deps.certificates.maxTtlMs);
  const tlsCert = await issueHostCertificate({
    ca: authorities.hostCa,
    subjectPublicKey: host.keys.tls,
    clusterName: authorities.clusterName,
    hostId,
    systemRoles: ['Instance'],
    joinToken: j.token.metadata.name,
    dnsNames: host.dnsNames,
    notBefore,
    notAfter,
  });
  const sshCert = issueSshHostCertificate({
    caPrivateKey: authorities.sshHostCa.privateKey,
    subjectPublicKey: host.keys.ssh,
    keyId: hostId,
    principals: [hostId, `${hostId}.${authorities.clusterName}`, host.hostName, ...host.additionalPrincipals],
    validAfter: notBefore,
    validBefore: notAfter,
  });
  return {
    tls_cert: tlsCert,
    tls_ca_certs: [authorities.hostCa.certificateDer, authorities.userCa.certificateDer],
    ssh_cert: sshCert,
    ssh_ca_keys: [encodeSshWirePublicKey(authorities.sshHostCa.publicKey), encodeSshWirePublicKey(authorities.sshUserCa.publicKey)],
  };
}
