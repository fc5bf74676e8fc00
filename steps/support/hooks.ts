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
  this.suite = target.suite;
  this.boundKeypairKeys = target.boundKeypairKeys;
  this.userCaPems = target.userCaPems;
  await this.control.reset();
});

After(async function (this: BkpWorld, { result }) {
  if (result?.status === Status.FAILED) {
    const wire = this.lastOutcome?.wire.map((w) => `${w.direction === 'client' ? '→' : '←'} ${w.type}`).join('\n');
    if (wire) this.attach(`Join stream of the last join:\n${wire}\nended: ${JSON.stringify(this.lastOutcome?.end)}`, 'text/plain');
    const calls = this.control.calls.map((c) => `${c.method} ${c.path} → ${c.status}`).join('\n');
    this.attach(`Control API calls:\n${calls}`, 'text/plain');
  }
});

AfterAll(async function () {
  await disconnectTarget();
});
