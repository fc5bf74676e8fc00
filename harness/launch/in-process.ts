// The embedded target: the reference auth server started inside the test
// process, on free loopback ports, with a virtual clock. The fastest way to
// run the suite, and the one code coverage can see.
import { startAuthServer } from '../../reference/auth/auth-server.js';
import type { ServerEndpoints } from './endpoints.js';

export async function launchInProcessServer(): Promise<ServerEndpoints & { close(): Promise<void> }> {
  const server = await startAuthServer({ clock: 'virtual' });
  return {
    controlUrl: server.controlUrl,
    controlCredential: server.controlCredential,
    close: () => server.close(),
  };
}
