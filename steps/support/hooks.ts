// One server per Cucumber worker, reset through the control API before every
// scenario (never a new server per scenario: that would be slow, and a
// target that can reset must be able to prove it).
import { Before, After, AfterAll, setDefaultTimeout, Status } from '@cucumber/cucumber';
import type { BkpWorld } from './world.js';
import { ControlClient } from './control-client.js';
import { connectTarget, disconnectTarget } from './target.js';

setDefaultTimeout(30_000);

Before(async function (this: BkpWorld) {
  const target = await connectTarget();
  this.control = new ControlClient(target.endpoints.controlUrl, target.endpoints.controlCredential);
  this.join = target.join;
  this.clusterName = target.clusterName;
  this.userCaPems = target.userCaPems;
  await this.control.reset();
  // Trust material and the suite can change during a run (a CA rotation, a
  // suite change that reset undoes), so they are read afresh.
  const cluster = await this.control.cluster();
  this.boundKeypairKeys = cluster.bound_keypair_ca_keys as Record<string, unknown>[];
  this.suite = String(cluster.signature_algorithm_suite);
});

// A scenario tagged @needs-<feature> applies only to targets that declare the
// feature (capabilities.features, or clock-control for a movable clock);
// elsewhere it is skipped as not applicable, never failed.
Before(async function (this: BkpWorld, { pickle }) {
  const target = await connectTarget();
  // @needs-bot-* tags name bot capabilities; bot-hooks.ts judges those.
  const missing = pickle.tags.map((t) => t.name).filter((t) => t.startsWith('@needs-') && !t.startsWith('@needs-bot-')).map((t) => t.slice('@needs-'.length)).filter((f) => !target.features.has(f));
  if (missing.length === 0) return;
  this.attach(`Not applicable: the target does not declare ${missing.join(', ')}`, 'text/plain');
  return 'skipped';
});

After(async function (this: BkpWorld, { result }) {
  if (result?.status === Status.FAILED) {
    const wire = this.lastOutcome?.wire.map((w) => `${w.direction === 'client' ? '→' : '←'} ${w.type}`).join('\n');
    if (wire) this.attach(`Join stream of the last join:\n${wire}\nended: ${JSON.stringify(this.lastOutcome?.end)}`, 'text/plain');
    // control is unset when a Before hook failed before connecting (e.g. an unknown @needs-bot- tag).
    const calls = (this.control?.calls ?? []).map((c) => `${c.method} ${c.path} → ${c.status}`).join('\n');
    this.attach(`Control API calls:\n${calls}`, 'text/plain');
  }
});

AfterAll(async function () {
  await disconnectTarget();
});
