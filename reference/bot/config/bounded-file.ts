// Reads a small operator-supplied file (a secret, a CA bundle, tbot.yaml)
// with a size bound, so a wrong path (a device, a huge log) fails loudly
// instead of filling memory. Errors are ConfigErrors naming the file.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError } from './config-error.js';

export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** The file's text; `what` names it in errors ("registration secret", …). */
export function readBoundedTextFile(path: string, what: string, maxBytes = MAX_CONFIG_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new ConfigError(`reading ${what} from ${path}: ${(err as Error).message}`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw new ConfigError(`reading ${what} from ${path}: not a regular file`);
    const buffer = Buffer.alloc(maxBytes + 1);
    let size = 0;
    for (;;) {
      const n = readSync(fd, buffer, size, buffer.length - size, null);
      if (n === 0) break;
      size += n;
      if (size > maxBytes) throw new ConfigError(`reading ${what} from ${path}: the file is larger than ${maxBytes} bytes`);
    }
    return buffer.subarray(0, size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
