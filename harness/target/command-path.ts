// Where a command's first argv element lives: a name without a slash is
// looked up in PATH (as execvp would), a relative path is taken from the
// working directory the command runs in. Pre-flight uses it to name a
// missing program before any scenario tries to run it.
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The absolute path the command resolves to, or undefined when there is no such executable. */
export function resolveCommand(command: string, workingDirectory: string, searchPath = process.env.PATH ?? ''): string | undefined {
  if (command.includes('/')) {
    const absolute = path.resolve(workingDirectory, command);
    return executable(absolute) ? absolute : undefined;
  }
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}
