// Process signals → lifecycle events: SIGUSR1 renews now (tbot's reload,
// `pkill -usr1 tbot`), SIGTERM and SIGINT stop cleanly. Returns a function
// that removes the handlers again.
import type { LifecycleEvents } from './lifecycle-events.js';
import type { BotLog } from '../log.js';

export function installSignalHandlers(events: LifecycleEvents, log: BotLog, proc: NodeJS.Process = process): () => void {
  const onReload = () => {
    log.info('Received reload signal, renewing the bot identity now', { signal: 'SIGUSR1' });
    events.reload();
  };
  const onStop = (signal: NodeJS.Signals) => {
    log.info('Received stop signal, shutting down', { signal });
    events.stop();
  };
  proc.on('SIGUSR1', onReload);
  proc.on('SIGTERM', onStop);
  proc.on('SIGINT', onStop);
  return () => {
    proc.off('SIGUSR1', onReload);
    proc.off('SIGTERM', onStop);
    proc.off('SIGINT', onStop);
  };
}
