// The five join operations the benchmark measures, each as a workload: what
// must be seeded first (never timed) and what one join of a worker is.
//  - renewal, recovery: one bot per worker, joining again and again (a
//    renewal presents the certificate of the previous join over mutual TLS;
//    a recovery presents none, on a token in relaxed mode so the recovery
//    limit never stops it, with its latest join state);
//  - onboarding-key, onboarding-secret, rotation: a join that can happen once
//    per token, so a pool of fresh tokens is seeded and used up: a
//    pre-registered key, a registration secret, or a bound token with a
//    pending rotation request (the join renews and rotates).
import { generateKeyPair } from '../../reference/crypto/index.js';
import type { JoinOutcome } from '../../reference/auth/testing/join-test-client.js';
import { BenchBot } from './join-client.js';
import type { JoinEndpoint } from './join-client.js';
import type { OperationName } from './operation-names.js';
import { createToken, inParallel, requestRotation } from './control-calls.js';
import type { ControlEndpoint, TokenPlan } from './control-calls.js';

export type Endpoint = JoinEndpoint & ControlEndpoint;

export type JoinCheck = { ok: true } | { ok: false; error: string };

export interface Workload {
  /** Worker `w`'s next join; undefined once a seeded pool is used up. */
  next(worker: number): (() => Promise<JoinCheck>) | undefined;
}

/** The messages the server sends in a successful join of each kind. */
const EXPECTED: Record<OperationName, string> = {
  'renewal': 'init,challenge,result',
  'recovery': 'init,challenge,result',
  'onboarding-key': 'init,challenge,result',
  'onboarding-secret': 'init,rotation,challenge,result',
  'rotation': 'init,challenge,rotation,challenge,result',
};

const SEED_CONCURRENCY = 8;
const SECRET = 'bench-registration-secret';

/** Seeds what `clients` workers need for at most `budget` joins of `op`. */
export async function prepareWorkload(op: OperationName, endpoint: Endpoint, clients: number, budget: number): Promise<Workload> {
  const check = (outcome: JoinOutcome): JoinCheck => checkOutcome(op, outcome);
  switch (op) {
    case 'renewal':
    case 'recovery': {
      const bots = await onboardedBots(endpoint, `${op}-c${clients}`, clients, op === 'recovery' ? { mode: 'relaxed', limit: 1 } : undefined);
      const withIdentity = op === 'renewal';
      return { next: (w) => async () => check(await (bots[w] as BenchBot).join(endpoint, { withIdentity })) };
    }
    case 'onboarding-key':
    case 'onboarding-secret': {
      const bySecret = op === 'onboarding-secret';
      const bots = await seededBots(endpoint, `${op}-c${clients}`, budget, bySecret);
      return pool(bots, (bot) => bot.join(endpoint, { withIdentity: false }), check);
    }
    case 'rotation': {
      const bots = await onboardedBots(endpoint, `${op}-c${clients}`, budget);
      await inParallel(bots, SEED_CONCURRENCY, (bot) => requestRotation(endpoint, bot.token));
      return pool(bots, (bot) => bot.join(endpoint, { withIdentity: true }), check);
    }
  }
}

function checkOutcome(op: OperationName, outcome: JoinOutcome): JoinCheck {
  if (outcome.code !== 'OK' || !outcome.result?.bot_result) return { ok: false, error: `${outcome.code}: ${outcome.details}` };
  const received = outcome.received.join(',');
  if (received !== EXPECTED[op]) return { ok: false, error: `unexpected exchange ${received} (expected ${EXPECTED[op]})` };
  return { ok: true };
}

function pool(bots: BenchBot[], join: (bot: BenchBot) => Promise<JoinOutcome>, check: (o: JoinOutcome) => JoinCheck): Workload {
  let next = 0;
  return {
    next: () => {
      const bot = bots[next++];
      return bot ? async () => check(await join(bot)) : undefined;
    },
  };
}

/** Fresh tokens, not joined yet: a pre-registered key each, or a registration secret. */
async function seededBots(api: ControlEndpoint, prefix: string, count: number, bySecret: boolean): Promise<BenchBot[]> {
  const bots = Array.from({ length: count }, (_, i) => new BenchBot(`${prefix}-${i}`, generateKeyPair('ed25519').privateKey, bySecret ? SECRET : undefined));
  await inParallel(bots, SEED_CONCURRENCY, async (bot) => {
    const plan: TokenPlan = { name: bot.token, ...(bySecret ? { secret: SECRET } : { initialKey: bot.keys[0] }) };
    await createToken(api, plan);
  });
  return bots;
}

/** Tokens with a pre-registered key, each onboarded once: the bots hold a certificate and a join state. */
async function onboardedBots(endpoint: Endpoint, prefix: string, count: number, recovery?: TokenPlan['recovery']): Promise<BenchBot[]> {
  const bots = Array.from({ length: count }, (_, i) => new BenchBot(`${prefix}-${i}`, generateKeyPair('ed25519').privateKey));
  await inParallel(bots, SEED_CONCURRENCY, async (bot) => {
    await createToken(endpoint, { name: bot.token, initialKey: bot.keys[0], ...(recovery ? { recovery } : {}) });
    const outcome = await bot.join(endpoint, { withIdentity: false });
    const verdict = checkOutcome('onboarding-key', outcome);
    if (!verdict.ok) throw new Error(`seeding: onboarding ${bot.token} failed: ${verdict.error}`);
  });
  return bots;
}
