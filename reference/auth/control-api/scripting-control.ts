// Scripted mode as the control plane offers it (feature `scripting`): the
// script of faults and the join service's simulated restart, behind the
// ScriptingControl interface the routes use.
import type { ScriptedFaults } from '../scripting/scripted-faults.js';
import type { ScriptingControl } from './control-plane.js';

export function scriptingControl(scripted: { faults: ScriptedFaults; restartJoinService: (downMs: number) => Promise<void> }, joinAddress: () => string): ScriptingControl {
  const { faults } = scripted;
  return {
    get: () => faults.view(),
    set: (script) => faults.set(script),
    clear: () => faults.clear(),
    release: (faultId) => ({ fault_id: faultId, released: faults.release(faultId) }),
    restart: async (downMs) => {
      await scripted.restartJoinService(downMs);
      return { join_address: joinAddress(), down_ms: downMs };
    },
  };
}
