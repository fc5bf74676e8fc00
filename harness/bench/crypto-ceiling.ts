// The crypto-only ceiling: how many joins per second one core could serve if
// a join cost nothing but its signature verifications and signings. Each
// primitive is the very reference/crypto function the server calls, with the
// cluster's own authorities and inputs shaped like a benchmark client's
// (Ed25519 bound key, P-256 certificate subject key), timed in a tight loop.
// A join's ceiling is 1 / (sum of its primitives' CPU costs); the benchmark
// compares the server's joins per CPU-second with it. CPU time rather than
// wall time, because the machine may be shared: another process taking the
// core meanwhile stretches wall time, not CPU time.
//
// Not in the ceiling, on purpose: the TLS handshake of the join's own
// connection (key exchange, the server's handshake signature), protobuf,
// gRPC, the store and the audit log. That is the overhead the ratio shows.
import { performance } from 'node:perf_hooks';
import type { KeyObject } from 'node:crypto';
import {
  generateKeyPair, issueBotCertificate, issueChallenge, issueJoinState, issueSshUserCertificate,
  signChallenge, verifyCertificateChain, verifyChallengeResponse, verifyJoinState,
} from '../../reference/crypto/index.js';
import type { IssuedChallenge } from '../../reference/crypto/index.js';
import type { ClusterAuthorities } from '../../reference/auth/ca/cluster-authorities.js';
import { trustedJoinStateKeys } from '../../reference/auth/ca/cluster-authorities.js';
import { OPERATION_NAMES } from './operation-names.js';
import type { OperationName } from './operation-names.js';

export const PRIMITIVES = ['challenge-verify', 'client-cert-verify', 'join-state-verify', 'tls-cert-sign', 'ssh-cert-sign', 'join-state-sign'] as const;
export type Primitive = (typeof PRIMITIVES)[number];

/** What one server-side join of each kind signs and verifies (see the handler: ceremony, authenticate, join-state-check, credentials). */
export const OPERATION_MIX: Record<OperationName, Primitive[]> = {
  // mutual TLS identity, the bound key's challenge, the join state (required once onboarding counted a recovery), new credentials
  'renewal': ['client-cert-verify', 'challenge-verify', 'join-state-verify', 'tls-cert-sign', 'ssh-cert-sign', 'join-state-sign'],
  'recovery': ['challenge-verify', 'join-state-verify', 'tls-cert-sign', 'ssh-cert-sign', 'join-state-sign'],
  'onboarding-key': ['challenge-verify', 'tls-cert-sign', 'ssh-cert-sign', 'join-state-sign'],
  // the secret is compared as digests, no signature; the new key is challenged
  'onboarding-secret': ['challenge-verify', 'tls-cert-sign', 'ssh-cert-sign', 'join-state-sign'],
  // a renewal whose token asks for a new key: one more challenge, for it
  'rotation': ['client-cert-verify', 'challenge-verify', 'challenge-verify', 'join-state-verify', 'tls-cert-sign', 'ssh-cert-sign', 'join-state-sign'],
};

export interface PrimitiveCost {
  iterations: number;
  /** Process CPU time per call (every thread: a WebCrypto signature runs on the thread pool). */
  cpuMicrosPerCall: number;
  /** Wall time per call; above the CPU time when other processes took the core meanwhile. */
  wallMicrosPerCall: number;
}

export interface CeilingReport {
  primitives: Record<Primitive, PrimitiveCost>;
  /** Joins per CPU-second (one core to itself) doing nothing but each operation's crypto. */
  operations: Record<OperationName, { cpuMicrosPerJoin: number; joinsPerSecond: number }>;
}

type Step = () => unknown;

/** Times every primitive for about durationMs / 6 each, after a short warm-up. */
export async function measureCeiling(authorities: ClusterAuthorities, durationMs: number): Promise<CeilingReport> {
  const steps = await prepareSteps(authorities);
  const perPrimitiveMs = Math.max(50, durationMs / PRIMITIVES.length);
  const primitives = {} as Record<Primitive, PrimitiveCost>;
  for (const name of PRIMITIVES) primitives[name] = await time(steps[name], perPrimitiveMs);
  const operations = {} as CeilingReport['operations'];
  for (const op of OPERATION_NAMES) {
    const micros = OPERATION_MIX[op].reduce((sum, p) => sum + primitives[p].cpuMicrosPerCall, 0);
    operations[op] = { cpuMicrosPerJoin: micros, joinsPerSecond: 1e6 / micros };
  }
  return { primitives, operations };
}

async function time(step: Step, ms: number): Promise<PrimitiveCost> {
  for (let i = 0; i < 20; i++) await step();
  let iterations = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  // Checking the clock every few calls keeps its own cost out of the figure.
  while (elapsed < ms) {
    for (let i = 0; i < 8; i++) await step();
    iterations += 8;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  return { iterations, cpuMicrosPerCall: (cpu.user + cpu.system) / iterations, wallMicrosPerCall: (elapsed * 1000) / iterations };
}

/** Inputs as a benchmark client makes them, and one closure per primitive, checked to succeed once. */
async function prepareSteps(a: ClusterAuthorities): Promise<Record<Primitive, Step>> {
  const now = new Date();
  const bound = generateKeyPair('ed25519');
  const subject = generateKeyPair('ecdsa-p256');
  const lifetime = { notBefore: new Date(now.getTime() - 60_000), notAfter: new Date(now.getTime() + 3600_000) };
  const certificate = () => issueBotCertificate({
    ca: a.userCa, subjectPublicKey: subject.publicKey, clusterName: a.clusterName, botName: 'bench',
    botInstanceId: '00000000-0000-4000-8000-000000000000', generation: 2, joinToken: 'bench-token', ...lifetime,
  });
  const joinState = () => issueJoinState({
    signer: a.boundKeypair.active, clusterName: a.clusterName, subject: 'bench', botInstanceId: '00000000-0000-4000-8000-000000000000',
    recoverySequence: 1, recoveryLimit: 1, recoveryMode: 'standard', now,
  });
  const leaf = await certificate();
  const document = joinState();
  // A pool of answered challenges, so the loop verifies without signing for the client.
  const answered = Array.from({ length: 32 }, () => answer(a.clusterName, bound.privateKey, now));
  let next = 0;
  const steps: Record<Primitive, Step> = {
    'challenge-verify': () => {
      const { issued, solution } = answered[next++ % answered.length] as { issued: IssuedChallenge; solution: string };
      verifyChallengeResponse({ issued, solution, clusterName: a.clusterName, now });
    },
    'client-cert-verify': () => {
      const result = verifyCertificateChain({ certificateDer: leaf, caCertificates: [a.userCa.certificate, a.hostCa.certificate], now });
      if (!('ok' in result)) throw result;
    },
    'join-state-verify': () => verifyJoinState({
      joinState: document, trustedKeys: trustedJoinStateKeys(a.boundKeypair), clusterName: a.clusterName, subject: 'bench', now,
      expected: { recoverySequence: 1, botInstanceId: '00000000-0000-4000-8000-000000000000' },
    }),
    'tls-cert-sign': certificate,
    'ssh-cert-sign': () => issueSshUserCertificate({
      caPrivateKey: a.sshUserCa.privateKey, subjectPublicKey: subject.publicKey, keyId: 'bot-bench', principals: ['bot-bench'],
      validAfter: lifetime.notBefore, validBefore: lifetime.notAfter,
    }),
    'join-state-sign': joinState,
  };
  // Each runs once before timing: a primitive that fails would time its error path.
  for (const step of Object.values(steps)) await step();
  return steps;
}

function answer(clusterName: string, key: KeyObject, now: Date): { issued: IssuedChallenge; solution: string } {
  const issued = issueChallenge({ clusterName, publicKey: key, now });
  return { issued, solution: signChallenge(issued.document, key) };
}
