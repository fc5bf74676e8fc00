// What `bkp bot keypair create` prints on stdout, in tbot's words and layout
// (client notes §4.1; the newest tbot text, with the `tctl bots add` hint and
// the example token). Text mode: the public key tab-indented, the example
// token as `tctl get` would print it (Go's YAML: keys sorted, sequences not
// indented), then for static keys how to configure them. As in tbot, the
// text starts with an empty line, and a static key's text ends without a
// final newline. JSON mode: {"public_key": …} plus "private_key" (standard
// base64 of the PEM) for static keys.
import { STATIC_KEY_ENV } from '../state/static-client-state.js';

const RECOVERY_DOCS = 'https://goteleport.com/docs/reference/machine-workload-identity/machine-id/bound-keypair/concepts/#recovery';

export interface KeypairPrintout {
  /** authorized_keys form, trimmed. */
  publicKey: string;
  /** Static keys only: standard base64 of the private key PEM. */
  encodedPrivateKey?: string;
  /** Static keys only: where the key was written. */
  staticKeyPath?: string;
}

export type OutputFormat = 'text' | 'json';

export function renderKeypair(printout: KeypairPrintout, format: OutputFormat): string {
  return format === 'json' ? renderJson(printout) : renderText(printout);
}

function renderJson(p: KeypairPrintout): string {
  return `${JSON.stringify(p.encodedPrivateKey ? { public_key: p.publicKey, private_key: p.encodedPrivateKey } : { public_key: p.publicKey })}\n`;
}

/** The example token, one line per entry, recovery mode insecure for static keys. */
export function exampleToken(publicKey: string, isStatic: boolean): string[] {
  return [
    'kind: token',
    'metadata:',
    '  name: example-token',
    'spec:',
    '  bot_name: example-bot',
    '  bound_keypair:',
    '    onboarding:',
    `      initial_public_key: ${publicKey}`,
    '    recovery:',
    '      limit: 1',
    `      mode: ${isStatic ? 'insecure' : 'standard'}`,
    '  join_method: bound_keypair',
    '  roles:',
    '  - Bot',
    'version: v2',
  ];
}

function renderText(p: KeypairPrintout): string {
  const isStatic = p.encodedPrivateKey !== undefined || p.staticKeyPath !== undefined;
  const lines = [
    '',
    "To register the keypair with Teleport, include this public key in the token's",
    "'spec.bound_keypair.onboarding.initial_public_key' field:",
    '',
    `\t${p.publicKey}`,
    '',
    "You can use 'tctl' to create a bot and token automatically:",
    '',
    '\t$ tctl bots add bot-name \\',
    '\t  --roles=some-role,some-other-role \\',
    isStatic ? `\t  --initial-public-key='${p.publicKey}' \\` : `\t  --initial-public-key='${p.publicKey}'`,
    ...(isStatic ? ['\t  --recovery-mode=insecure'] : []),
    '',
    'Refer to this token example as a reference:',
    '',
    ...exampleToken(p.publicKey, isStatic).map((line) => `\t${line}`),
  ];
  if (!isStatic) return `${lines.join('\n')}\n`;
  lines.push(
    '',
    "Note that you must also set 'spec.bound_keypair.recovery.mode' to 'insecure'",
    'to use static keys.',
    '',
  );
  if (p.staticKeyPath !== undefined) {
    lines.push(
      `The static key has been written to: ${p.staticKeyPath}`,
      '',
      "Configure your bot to use this static key by setting the following 'tbot.yaml'",
      'field:',
      '',
      '\tonboarding:',
      '\t  join_method: bound_keypair',
      '\t  bound_keypair:',
      `\t    static_private_key_path: ${p.staticKeyPath}`,
    );
  } else {
    lines.push(
      'Configure your bot to use this static key by inserting the following private key',
      "value into the bot's environment, ideally via a platform-specific keystore if",
      'available:',
      '',
      `\texport ${STATIC_KEY_ENV}=${p.encodedPrivateKey ?? ''}`,
    );
  }
  lines.push(
    '',
    'Note that bots joined with static tokens do not support keypair rotation and',
    "will be unable to join if a rotation is requested server-side via the token's",
    "'rotate_after' field. Additionally, 'insecure' recovery mode must be used, as",
    'shown above. Read more at:',
    '',
    `\t${RECOVERY_DOCS}`,
  );
  return lines.join('\n');
}
