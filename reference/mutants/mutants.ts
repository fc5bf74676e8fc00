// THE list of mutants: deliberately broken variants of the reference auth
// server and the reference bot, each breaking one catalogued requirement
// (features/requirements.yaml). They exist to test the suite, not the
// implementations: every one must make at least one scenario tagged with its
// requirement fail (`npm run mutants`, docs/mutants.md). A mutant that
// survives shows a gap in the suite.
//
// A mutant is switched on only by BKP_MUTANT=<id> (switch.ts); its injection
// site in reference/ is a one-line guard `mutantActive('<id>')`.

export type MutantSide = 'server' | 'bot';

export interface Mutant {
  /** Starts with the side: `server-…` or `bot-…`. */
  readonly id: string;
  /** server: reference/auth (or reference/crypto on the server's path); bot: reference/bot. */
  readonly side: MutantSide;
  /** The one catalogued requirement the mutation breaks; its scenarios are the ones run. */
  readonly requirement: string;
  /** The requirement's area (the middle of its id). */
  readonly area: string;
  /** What the broken variant does differently, in one sentence. */
  readonly description: string;
  /** An extra Cucumber tag expression whose scenarios run besides the requirement's own. */
  readonly tags?: string;
}

export const MUTANTS = [
  // Challenge ceremony (reference/crypto: the server's verification of the signed answer).
  { id: 'server-nonce-not-compared', side: 'server', requirement: 'BKP-CHL-018', area: 'CHL', description: 'the nonce in the signed answer is not compared with the issued one' },
  { id: 'server-exp-not-checked', side: 'server', requirement: 'BKP-CHL-013', area: 'CHL', description: 'an answer verified after exp + 60 s is accepted (`exp` is not checked)' },
  { id: 'server-none-alg-accepted', side: 'server', requirement: 'BKP-CHL-024', area: 'CHL', description: 'an unsigned answer with JWS alg `none` is accepted' },
  { id: 'server-signature-not-verified', side: 'server', requirement: 'BKP-CHL-023', area: 'CHL', description: 'the answer\'s signature is not verified with the challenged key' },
  { id: 'server-time-claims-not-compared', side: 'server', requirement: 'BKP-CHL-015', area: 'CHL', description: 'signed iat/exp/nbf that differ from the issued ones are accepted when they pass time validation' },
  // Onboarding.
  { id: 'server-registration-secret-not-cleared', side: 'server', requirement: 'BKP-ONB-018', area: 'ONB', description: 'a successful registration-secret onboarding leaves the secret in the token status' },
  { id: 'server-registration-deadline-ignored', side: 'server', requirement: 'BKP-ONB-014', area: 'ONB', description: 'must_register_before is ignored: the secret onboards after the deadline' },
  { id: 'server-onboarding-limit-ignored', side: 'server', requirement: 'BKP-ONB-025', area: 'ONB', description: 'onboarding is not limited by recovery.limit in standard mode (limit 0 still onboards)' },
  // Recovery.
  { id: 'server-recovery-not-counted', side: 'server', requirement: 'BKP-REC-002', area: 'REC', description: 'a successful recovery does not increment recovery_count' },
  { id: 'server-limit-checked-before-challenge', side: 'server', requirement: 'BKP-REC-007', area: 'REC', description: 'the recovery limit is checked before the key proof, so a caller without the key learns the token is exhausted' },
  { id: 'server-relaxed-mode-limited', side: 'server', requirement: 'BKP-REC-010', area: 'REC', description: '`relaxed` mode is limited by recovery.limit as `standard` is' },
  // Renewal.
  { id: 'server-renewal-counted-as-recovery', side: 'server', requirement: 'BKP-REN-002', area: 'REN', description: 'a renewal increments recovery_count and sets last_recovered_at as a recovery does' },
  { id: 'server-bot-instance-mismatch-ignored', side: 'server', requirement: 'BKP-REN-010', area: 'REN', description: 'a renewal whose certificate names another bot instance than the bound one is not refused' },
  // Join state.
  { id: 'server-join-state-not-verified', side: 'server', requirement: 'BKP-JST-008', area: 'JST', description: 'a present join state is not verified (a missing one is still refused), so a stale one is accepted' },
  { id: 'server-join-state-lock-missing', side: 'server', requirement: 'BKP-JST-014', area: 'JST', description: 'a join state that fails verification refuses the join but does not lock the token' },
  // Locks.
  { id: 'server-lock-checked-after-join-state', side: 'server', requirement: 'BKP-LCK-003', area: 'LCK', description: 'the lock check comes after join state verification, so a locked token answers with the join state error and is locked again' },
  { id: 'server-bot-instance-lock-ignored', side: 'server', requirement: 'BKP-LCK-006', area: 'LCK', description: 'a renewal is not checked against locks targeting its bot instance' },
  { id: 'server-lock-expiry-ignored', side: 'server', requirement: 'BKP-LCK-004', area: 'LCK', description: 'a lock past its expires stays in force' },
  // Generation counter.
  { id: 'server-generation-not-checked', side: 'server', requirement: 'BKP-GEN-003', area: 'GEN', description: 'a renewal presenting another generation than the stored one is accepted (and advances from the stored one)' },
  // Rotation.
  { id: 'server-same-key-rotation-accepted', side: 'server', requirement: 'BKP-ROT-011', area: 'ROT', description: 'a rotation response carrying the currently bound key is accepted' },
  { id: 'server-rotation-new-key-not-challenged', side: 'server', requirement: 'BKP-ROT-014', area: 'ROT', description: 'the key offered in a rotation or registration response is bound without proving possession of it' },
  { id: 'server-future-rotation-due', side: 'server', requirement: 'BKP-ROT-001', area: 'ROT', description: 'a rotate_after later than the server\'s time makes a join rotate' },
  // Commit and races.
  { id: 'server-commit-without-revision-check', side: 'server', requirement: 'BKP-RACE-002', area: 'RACE', description: 'the commit writes the planned changes without checking that each field still holds the value the join read' },
  // Generic checks.
  { id: 'server-expired-token-accepted', side: 'server', requirement: 'BKP-PRT-012', area: 'PRT', description: 'a token whose metadata.expires has passed is still found' },
  { id: 'server-role-not-checked', side: 'server', requirement: 'BKP-ROL-003', area: 'ROL', description: 'a role the token does not list (other than Instance) passes the role check' },

  // The reference bot.
  { id: 'bot-secret-sent-with-join-state', side: 'bot', requirement: 'BKP-CLI-001', area: 'CLI', description: 'the bot sends its configured registration secret on every join, also once it holds a join state' },
  { id: 'bot-join-state-not-persisted', side: 'bot', requirement: 'BKP-CLI-020', area: 'CLI', description: 'the bot keeps the join state of its first join and never replaces it with a later one' },
  { id: 'bot-kid-in-challenge-header', side: 'bot', requirement: 'BKP-CLI-013', area: 'CLI', description: 'the bot\'s challenge solution header carries a `kid` besides alg and typ' },
  { id: 'bot-certificate-ttl-ignored', side: 'bot', requirement: 'BKP-CLI-006', area: 'CLI', description: 'the bot asks for certificates with a fixed one-day lifetime instead of its configured TTL' },
  { id: 'bot-rotation-key-active-before-confirmation', side: 'bot', requirement: 'BKP-CRT-004', area: 'CRT', description: 'a key generated for a rotation request becomes the active key at once, before the server confirms the rotation' },
  { id: 'bot-signer-matched-by-text', side: 'bot', requirement: 'BKP-CRT-008', area: 'CRT', description: 'the bot looks for the challenged key by comparing authorized_keys texts, not public keys' },
  { id: 'bot-storage-group-readable', side: 'bot', requirement: 'BKP-STO-006', area: 'STO', description: 'storage items are written with mode 0640 (readable by the group)' },
  { id: 'bot-non-atomic-state-write', side: 'bot', requirement: 'BKP-STO-019', area: 'STO', description: 'storage items are rewritten in place (truncate, then write) instead of a sibling renamed over them' },
] as const satisfies readonly Mutant[];

export type MutantId = (typeof MUTANTS)[number]['id'];

const BY_ID: ReadonlyMap<string, Mutant> = new Map(MUTANTS.map((m) => [m.id, m]));

export function findMutant(id: string): Mutant | undefined {
  return BY_ID.get(id);
}
