// The only way to switch a mutant on: the environment variable
// BKP_MUTANT=<id>, naming a mutant of mutants.ts. No target file, Cucumber
// profile or command-line flag reaches it, so a normal configuration never
// runs a broken variant; and a server running one says so in its control
// API capabilities (`"mutant": "<id>"`), which `bkp run` refuses.
//
// Read once, when this module loads: a process is a mutant from its start
// or not at all. An unknown id stops the process at start (exit code 2)
// rather than silently running the unbroken code under a mutant's name.
import { findMutant } from './mutants.js';
import type { Mutant, MutantId } from './mutants.js';

export const MUTANT_ENV = 'BKP_MUTANT';

export class UnknownMutantError extends Error {
  override name = 'UnknownMutantError';
}

/** The mutant an environment selects; undefined when BKP_MUTANT is unset or empty. */
export function selectedMutant(env: NodeJS.ProcessEnv): Mutant | undefined {
  const id = env[MUTANT_ENV];
  if (id === undefined || id === '') return undefined;
  const mutant = findMutant(id);
  if (!mutant) throw new UnknownMutantError(`${MUTANT_ENV}=${JSON.stringify(id)} names no mutant listed in reference/mutants/mutants.ts (npm run mutants -- --list)`);
  return mutant;
}

/** At start: an unknown id ends the process with exit code 2 (a configuration error for `bkp run`, a usage error for the bot). */
function selectAtStart(): Mutant | undefined {
  try {
    return selectedMutant(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
}

const ACTIVE = selectAtStart();

/** The mutant this process runs, if any. */
export function activeMutant(): Mutant | undefined {
  return ACTIVE;
}

/** True only in a process started with BKP_MUTANT=<id>. The id is checked at compile time. */
export function mutantActive(id: MutantId): boolean {
  return ACTIVE !== undefined && ACTIVE.id === id;
}

/** What the control API's capabilities answer adds: `"mutant": "<id>"` while one runs, nothing otherwise. */
export function mutantCapability(): { mutant?: string } {
  return ACTIVE ? { mutant: ACTIVE.id } : {};
}

/** The loud line the reference programs print at start while a mutant runs; it names the program the mutant breaks. */
export function mutantWarning(mutant: Mutant): string {
  const program = mutant.side === 'server' ? 'the reference auth server' : 'the reference bot';
  return `!!! ${MUTANT_ENV}=${mutant.id}: ${program} is DELIBERATELY BROKEN (${mutant.description}; breaks ${mutant.requirement}). `
    + 'It exists to test the conformance suite and must not be used for anything else. !!!\n';
}

/** Writes the warning (to stderr by default) when this process runs a mutant. */
export function announceMutant(write: (line: string) => void = (l) => process.stderr.write(l)): void {
  if (ACTIVE) write(mutantWarning(ACTIVE));
}
