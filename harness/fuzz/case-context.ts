// What every property's case check works with: the server under fuzz, the
// process-wide error recorder, the outcome counts and the join driver's
// settings.
import type { DriverOptions } from './join-driver.js';
import type { FuzzTarget } from './fixture.js';
import type { ProcessGuard } from './process-guard.js';
import type { Outcomes } from './outcomes.js';

export interface CaseContext {
  target: FuzzTarget;
  guard: ProcessGuard;
  outcomes: Outcomes;
  driver: DriverOptions;
  /** Count outcomes by status and details, not by status alone. */
  detailedOutcomes: boolean;
}
