// The printout against tbot's layout, character for character.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderKeypair } from './keypair-output.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExampleExampleExampleExampl';

const TOKEN = (mode: string) => [
  '\tkind: token',
  '\tmetadata:',
  '\t  name: example-token',
  '\tspec:',
  '\t  bot_name: example-bot',
  '\t  bound_keypair:',
  '\t    onboarding:',
  `\t      initial_public_key: ${KEY}`,
  '\t    recovery:',
  '\t      limit: 1',
  `\t      mode: ${mode}`,
  '\t  join_method: bound_keypair',
  '\t  roles:',
  '\t  - Bot',
  '\tversion: v2',
].join('\n');

test('text output for a keypair in storage', () => {
  const expected = `
To register the keypair with Teleport, include this public key in the token's
'spec.bound_keypair.onboarding.initial_public_key' field:

\t${KEY}

You can use 'tctl' to create a bot and token automatically:

\t$ tctl bots add bot-name \\
\t  --roles=some-role,some-other-role \\
\t  --initial-public-key='${KEY}'

Refer to this token example as a reference:

${TOKEN('standard')}
`;
  assert.equal(renderKeypair({ publicKey: KEY }, 'text'), expected);
});

test('text output for a static key written to a path', () => {
  const out = renderKeypair({ publicKey: KEY, encodedPrivateKey: 'UEVN', staticKeyPath: '/keys/static' }, 'text');
  const expected = `
To register the keypair with Teleport, include this public key in the token's
'spec.bound_keypair.onboarding.initial_public_key' field:

\t${KEY}

You can use 'tctl' to create a bot and token automatically:

\t$ tctl bots add bot-name \\
\t  --roles=some-role,some-other-role \\
\t  --initial-public-key='${KEY}' \\
\t  --recovery-mode=insecure

Refer to this token example as a reference:

${TOKEN('insecure')}

Note that you must also set 'spec.bound_keypair.recovery.mode' to 'insecure'
to use static keys.

The static key has been written to: /keys/static

Configure your bot to use this static key by setting the following 'tbot.yaml'
field:

\tonboarding:
\t  join_method: bound_keypair
\t  bound_keypair:
\t    static_private_key_path: /keys/static

Note that bots joined with static tokens do not support keypair rotation and
will be unable to join if a rotation is requested server-side via the token's
'rotate_after' field. Additionally, 'insecure' recovery mode must be used, as
shown above. Read more at:

\thttps://goteleport.com/docs/reference/machine-workload-identity/machine-id/bound-keypair/concepts/#recovery`;
  assert.equal(out, expected);
});

test('text output for a static key meant for the environment', () => {
  const out = renderKeypair({ publicKey: KEY, encodedPrivateKey: 'UEVN' }, 'text');
  assert.ok(out.includes(`to use static keys.

Configure your bot to use this static key by inserting the following private key
value into the bot's environment, ideally via a platform-specific keystore if
available:

\texport TBOT_BOUND_KEYPAIR_STATIC_KEY=UEVN

Note that bots joined with static tokens`));
  assert.ok(!out.includes('static_private_key_path'));
});

test('JSON output', () => {
  assert.equal(renderKeypair({ publicKey: KEY }, 'json'), `{"public_key":"${KEY}"}\n`);
  assert.equal(renderKeypair({ publicKey: KEY, encodedPrivateKey: 'UEVN' }, 'json'), `{"public_key":"${KEY}","private_key":"UEVN"}\n`);
});
