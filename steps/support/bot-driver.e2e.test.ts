// The driver with the real thing: targets/reference-bot.yaml's bot
// (`node bin/bkp.js bot …`) against the embedded reference auth server.
// Proves the reference target's templates match the bot's command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchInProcessServer } from '../../harness/launch/in-process.js';
import { ControlClient } from './control-client.js';
import { BotDriver } from './bot-driver.js';
import { DEFAULT_BOT_TARGET, loadBotTarget } from './bot-target.js';

test('the reference bot onboards with a secret, renews on SIGUSR1 and stops on SIGTERM', { timeout: 90_000 }, async () => {
  const server = await launchInProcessServer();
  const control = new ControlClient(server.controlUrl, server.controlCredential);
  const cluster = await control.cluster();
  const bot = new BotDriver(loadBotTarget(DEFAULT_BOT_TARGET), async () => ({
    authAddr: String(cluster.join_address),
    webAddr: typeof cluster.web_address === 'string' ? cluster.web_address : undefined,
    caPem: (cluster.host_ca_certificates as string[]).join('\n'),
    now: async () => new Date(String((await control.clock()).now)),
  }));
  try {
    await control.createToken({
      kind: 'token', version: 'v2', metadata: { name: 'e2e-token' },
      spec: { roles: ['Bot'], bot_name: 'e2e', join_method: 'bound_keypair', bound_keypair: { recovery: { mode: 'standard', limit: 1 } } },
    });
    const status = (await control.getToken('e2e-token')).status as { bound_keypair: { registration_secret: string } };
    bot.token = 'e2e-token';
    bot.secret = status.bound_keypair.registration_secret;

    const joined = await bot.run('join_with_secret');
    assert.equal(joined.exitCode, 0, joined.stderr);
    assert.ok(joined.argv.includes('<secret>') && !joined.argv.includes(bot.secret));

    const storage = await bot.storage();
    const active = await storage.activeKey();
    const bound = (await control.getToken('e2e-token')).status as { bound_keypair: { bound_public_key: string } };
    assert.equal(bound.bound_keypair.bound_public_key.trim(), active.authorizedKey);
    assert.equal(active.algorithm, 'ed25519');
    assert.ok((await storage.joinState())?.split('.').length === 3);
    for (const e of (await storage.list()).filter((x) => x.name.startsWith('id_bkp') || x.name.startsWith('bkp_'))) assert.equal(e.mode, 0o600, e.name);

    const daemon = await bot.startDaemon();
    await daemon.waitForOutput(/Bot identity renewed kind=renewal/, 30_000);
    await daemon.reload();
    await daemon.waitForOutput(/Bot identity renewed kind=renewal/, 30_000);
    assert.deepEqual(await daemon.stop(), { exitCode: 0, signal: null });
  } finally {
    await bot.cleanup();
    await server.close();
  }
});
