// Token administration with the newest Teleport semantics (research note
// §1.4–1.5): create honours an incoming status (backup/restore), apply patches
// the spec but keeps the stored status, and every bound_keypair write runs
// populateRegistrationSecret. Errors name tokens, never secrets.
import { randomBytes } from 'node:crypto';
import { badParameter, isTraceError, limitExceeded, notFound } from '../../protocol/errors.js';
import { AuditEventCode } from '../audit/audit-event.js';
import { formatTimestamp } from '../clock/clock.js';
import { BOUND_KEYPAIR, cloneToken } from './token.js';
import { parseStatus, parseTokenResource } from './token-validation.js';
import type { AuditEvent } from '../audit/audit-event.js';
import type { Clock } from '../clock/clock.js';
import type { TokenAdmin } from '../control-api/control-plane.js';
import type { ClusterStore } from '../store/store.js';
import type { ProvisionToken } from './token.js';

export type AuditRecorder = (event: AuditEvent) => Promise<void>;

export interface TokenAdministrationOptions {
  /** Registration secret generator; tests may pin it. */
  generateSecret?: () => string;
}

/** Teleport's bound on apply retries (revision conflicts and create races). */
export const APPLY_ATTEMPTS = 3;

/** 32 random bytes, hex: 64 lowercase hex characters (`CryptoRandomHex(TokenLenBytes)`). */
export function generateRegistrationSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * Fills status.bound_keypair.registration_secret the way Teleport does on
 * every create and upsert. Mutates and returns `token`.
 */
export function populateRegistrationSecret(token: ProvisionToken, generate: () => string = generateRegistrationSecret): ProvisionToken {
  const spec = (token.spec.bound_keypair ??= {});
  const onboarding = (spec.onboarding ??= {});
  const status = ((token.status ??= {}).bound_keypair ??= {});
  // A bound or pre-registered key makes a secret pointless; an existing
  // secret is never replaced, so editing the spec's secret has no effect.
  if (status.bound_public_key || onboarding.initial_public_key) return token;
  if (status.registration_secret) return token;
  status.registration_secret = onboarding.registration_secret || generate();
  return token;
}

const quote = (name: string) => JSON.stringify(name);
const isBoundKeypair = (token: ProvisionToken) => token.spec.join_method === BOUND_KEYPAIR;

export class TokenAdministration implements TokenAdmin {
  private readonly generate: () => string;

  constructor(
    private readonly store: ClusterStore,
    private readonly clock: Clock,
    private readonly audit: AuditRecorder,
    options: TokenAdministrationOptions = {},
  ) {
    this.generate = options.generateSecret ?? generateRegistrationSecret;
  }

  async create(input: unknown): Promise<ProvisionToken> {
    const token = parseTokenResource(input);
    const created = await this.store.createToken(this.prepare(token));
    await this.record('join_token.create', created);
    return created;
  }

  async apply(input: unknown): Promise<ProvisionToken> {
    const desired = parseTokenResource(input);
    const name = desired.metadata.name;
    for (let attempt = 0; attempt < APPLY_ATTEMPTS; attempt++) {
      const existing = await this.store.getToken(name);
      let written: ProvisionToken;
      try {
        // Not there: create from the incoming object, status honoured.
        written = existing ? await this.patch(desired, existing) : await this.store.createToken(this.prepare(cloneToken(desired)));
      } catch (err) {
        // A concurrent writer won (changed, created or deleted it): re-read and try again.
        if (isTraceError(err, 'CompareFailed') || isTraceError(err, 'AlreadyExists') || isTraceError(err, 'NotFound')) continue;
        throw err;
      }
      await this.record(existing ? 'join_token.update' : 'join_token.create', written);
      return written;
    }
    const what = isBoundKeypair(desired) ? 'bound_keypair token' : 'token';
    throw limitExceeded(`failed to apply ${what} ${quote(name)} after ${APPLY_ATTEMPTS} attempts`);
  }

  async get(name: string): Promise<ProvisionToken> {
    const token = await this.store.getToken(name);
    if (!token) throw notFound(`token ${quote(name)} not found`);
    return token;
  }

  async list(): Promise<ProvisionToken[]> {
    const tokens = await this.store.listTokens();
    return tokens.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  }

  async delete(name: string): Promise<void> {
    try {
      await this.store.deleteToken(name);
    } catch (err) {
      // Stores word NotFound differently; the API promises one message.
      if (isTraceError(err, 'NotFound')) throw notFound(`token ${quote(name)} not found`);
      throw err;
    }
    await this.record('join_token.delete', { name });
  }

  /** `tctl bound-keypair request-rotation`: rotate_after := now, status untouched. */
  async requestRotation(name: string): Promise<ProvisionToken> {
    return this.edit(name, 'request rotation of', (token) => {
      if (!isBoundKeypair(token)) {
        throw badParameter(`token ${quote(name)} uses join method ${quote(token.spec.join_method)}, not ${BOUND_KEYPAIR}`);
      }
      (token.spec.bound_keypair ??= {}).rotate_after = formatTimestamp(this.clock.now());
    });
  }

  /** A raw backend edit of the status: no secret population, no status protection. */
  async writeStatus(name: string, input: unknown): Promise<ProvisionToken> {
    const status = parseStatus(input) ?? {};
    return this.edit(name, 'write the status of', (token) => {
      token.status = structuredClone(status);
    });
  }

  /** Read, change, write conditionally; a concurrent write makes it start over. */
  private async edit(name: string, what: string, change: (token: ProvisionToken) => void): Promise<ProvisionToken> {
    for (let attempt = 0; attempt < APPLY_ATTEMPTS; attempt++) {
      const token = await this.get(name);
      change(token);
      try {
        const updated = await this.store.updateToken(token, token.metadata.revision ?? '');
        await this.record('join_token.update', updated);
        return updated;
      } catch (err) {
        if (isTraceError(err, 'CompareFailed')) continue;
        throw err;
      }
    }
    throw limitExceeded(`failed to ${what} token ${quote(name)} after ${APPLY_ATTEMPTS} attempts`);
  }

  /** Desired spec and metadata on top of the stored revision (and, for bound_keypair, the stored status). */
  private patch(desired: ProvisionToken, existing: ProvisionToken): Promise<ProvisionToken> {
    const next = cloneToken(desired);
    next.metadata.revision = existing.metadata.revision;
    // Newest Teleport: status is server-owned on update; the incoming one is discarded.
    if (isBoundKeypair(desired)) next.status = structuredClone(existing.status);
    return this.store.updateToken(this.prepare(next), existing.metadata.revision ?? '');
  }

  private prepare(token: ProvisionToken): ProvisionToken {
    return isBoundKeypair(token) ? populateRegistrationSecret(token, this.generate) : token;
  }

  private async record(event: 'join_token.create' | 'join_token.update' | 'join_token.delete', token: ProvisionToken | { name: string }) {
    const base: AuditEvent = { event, code: AuditEventCode[event], time: formatTimestamp(this.clock.now()), success: true };
    if ('metadata' in token) {
      base.token_name = token.metadata.name;
      base.join_method = token.spec.join_method;
      if (token.spec.bot_name) base.bot_name = token.spec.bot_name;
    } else {
      base.token_name = token.name;
    }
    await this.audit(base);
  }
}
