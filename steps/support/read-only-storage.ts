// Making a bot's storage directory read-only for a scenario (client notes
// C-LC-7: tbot checks before every renewal that it can write there), and
// undoing it afterwards.
//
// Permission bits alone do not stop root, and these suites run as root on
// CI. So: mode 0500 first (enough for any other user); if a probe write
// still succeeds, the immutable attribute (`chattr +i`, ext4/xfs/btrfs),
// which stops root too. Each step is verified with a probe write; when
// nothing makes the directory read-only the scenario fails naming why —
// never passes on a directory the bot could in fact write.
import { execFile } from 'node:child_process';
import { chmod, open, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CHATTR_TIMEOUT_MS = 5_000;
/** A name no bot item has (the suite's own probe). */
const PROBE = '.bkp-suite-write-probe';

export interface ReadOnlyDirectory {
  dir: string;
  /** How it was made read-only (for messages): "mode 0500" or "mode 0500 + chattr +i". */
  how: string;
  restore(): Promise<void>;
}

/** True when a file can be created in `dir` (the probe is removed again). */
export async function canWriteIn(dir: string): Promise<boolean> {
  const probe = path.join(dir, PROBE);
  try {
    const handle = await open(probe, 'wx', 0o600);
    await handle.close();
  } catch {
    return false;
  }
  await unlink(probe);
  return true;
}

export async function makeReadOnly(dir: string): Promise<ReadOnlyDirectory> {
  const mode = (await stat(dir)).mode & 0o777;
  await chmod(dir, 0o500);
  const restoreMode = () => chmod(dir, mode);
  if (!(await canWriteIn(dir))) return { dir, how: 'mode 0500', restore: restoreMode };

  let chattrError = '';
  try {
    await run('chattr', ['+i', dir], { timeout: CHATTR_TIMEOUT_MS });
  } catch (err) {
    chattrError = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
  }
  const restoreBoth = async () => {
    await run('chattr', ['-i', dir], { timeout: CHATTR_TIMEOUT_MS }).catch(() => undefined);
    await restoreMode();
  };
  if (!chattrError && !(await canWriteIn(dir))) return { dir, how: 'mode 0500 + chattr +i', restore: restoreBoth };
  await restoreBoth();
  throw new Error(
    `setting the scene: cannot make ${dir} read-only on this machine: the suite runs as root, which ignores permission bits, `
    + `and the immutable attribute did not help (${chattrError || 'chattr +i succeeded but writes still succeed'}). `
    + 'Run the suite as a non-root user, or keep its temporary directory on ext4, xfs or btrfs.',
  );
}
