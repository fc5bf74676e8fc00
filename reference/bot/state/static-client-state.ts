// A static bound keypair (R-SK, W-10): one immutable key the operator owns,
// from a file (`static_private_key_path`, `--static-key-path`) or from
// TBOT_BOUND_KEYPAIR_STATIC_KEY (standard base64 of the same PEM). Nothing is
// ever written: no join state is kept (such tokens must use recovery mode
// `insecure`), rotation is refused, the registration secret is never sent.
import { parseAuthorizedKey, parsePrivateKeyPem, publicKeyOf, publicKeysEqual, MAX_PRIVATE_KEY_PEM_BYTES } from '../../crypto/index.js';
import type { KeyPair } from '../../crypto/index.js';
import type { BotLog } from '../log.js';
import { readBoundedFile } from './bot-storage.js';
import type { ClientState, JoinParameters } from './client-state.js';

export const STATIC_KEY_ENV = 'TBOT_BOUND_KEYPAIR_STATIC_KEY';

export const WARN_STATIC_SECRET_IGNORED = 'A registration secret was specified while using a static private key and will be ignored';
/** tbot's text, "does" (sic) included (C-SG-3). */
export const ERR_STATIC_KEY_MISMATCH = 'configured static private key does match the value requested by the server, cannot continue';
/**
 * C-RT-5 / W-5: the notes quote the tbot message for a rotation request to a
 * static client; it contains "do not support automatic rotation", the part
 * the agent's adapter shares (§3.11). We use tbot's full sentence.
 */
export const ERR_STATIC_ROTATION = 'static private keys do not support automatic rotation, `rotate_after` must be unset in the token to continue';

export class StaticClientState implements ClientState {
  readonly kind = 'static' as const;

  constructor(
    private readonly key: KeyPair,
    private readonly log: BotLog,
  ) {}

  get publicKey(): KeyPair['publicKey'] {
    return this.key.publicKey;
  }

  joinParameters(configuredSecret: string | undefined): JoinParameters {
    if (configuredSecret) this.log.warn(WARN_STATIC_SECRET_IGNORED);
    return { initialJoinSecret: '', previousJoinState: Buffer.alloc(0) };
  }

  signerFor(publicKeyAuthorized: string): KeyPair {
    let wanted;
    try {
      wanted = parseAuthorizedKey(publicKeyAuthorized);
    } catch {
      throw new Error(ERR_STATIC_KEY_MISMATCH);
    }
    if (!publicKeysEqual(wanted, this.key.publicKey)) throw new Error(ERR_STATIC_KEY_MISMATCH);
    return this.key;
  }

  async requestNewKeypair(_suite: string): Promise<string> {
    throw new Error(ERR_STATIC_ROTATION);
  }

  async acceptResult(_result: { publicKey: string; joinState: Buffer }): Promise<void> {
    // Immutable: the join state is not kept and the key never changes (C-RS-4).
  }
}

/**
 * The configured static key, or undefined when none is configured. A path
 * wins over the environment value (§4.3). Errors: `reading static key from
 * <path>: …`, `decoding private key from environment: …`, `parsing private key: …`.
 */
export async function loadStaticKey(source: { path?: string; envValue?: string }): Promise<KeyPair | undefined> {
  let pem: Buffer;
  if (source.path) {
    try {
      const bytes = await readBoundedFile(source.path, MAX_PRIVATE_KEY_PEM_BYTES);
      if (bytes === undefined) throw new Error('no such file');
      pem = bytes;
    } catch (err) {
      throw new Error(`reading static key from ${source.path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  } else if (source.envValue) {
    pem = decodeStdBase64(source.envValue);
  } else {
    return undefined;
  }
  const privateKey = parsePrivateKeyPem(pem);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}

const STD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict standard base64 with padding, as Go's base64.StdEncoding (which skips only CR and LF). */
function decodeStdBase64(value: string): Buffer {
  const text = value.replace(/[\r\n]/g, '');
  // Three quarters of the encoded length is the decoded size; bound it before decoding.
  if (text.length > Math.ceil(MAX_PRIVATE_KEY_PEM_BYTES / 3) * 4) {
    throw new Error(`decoding private key from environment: value is longer than the ${MAX_PRIVATE_KEY_PEM_BYTES}-byte key limit`);
  }
  if (text.length % 4 !== 0 || !STD_BASE64.test(text)) {
    throw new Error(`decoding private key from environment: ${STATIC_KEY_ENV} is not standard base64`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64') !== text) throw new Error(`decoding private key from environment: ${STATIC_KEY_ENV} is not canonical base64`);
  return bytes;
}
