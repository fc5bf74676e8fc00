// A stand-in bot for the driver's unit tests: `node fake-bot.mjs <mode> …`.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [mode, ...rest] = process.argv.slice(2);
const forever = () => setInterval(() => {}, 1000);

switch (mode) {
  case 'echo': // prints its argv, env and (if named) the clock file, then exits with $EXIT
    process.stdout.write(`${JSON.stringify({ argv: rest, env: process.env, cwd: process.cwd(), clock: process.env.CLOCK ? readFileSync(process.env.CLOCK, 'utf8') : undefined })}\n`);
    process.stderr.write('a line on stderr\n');
    process.exit(Number(process.env.EXIT ?? 0));
    break;
  case 'hang':
    process.stdout.write('started\n');
    forever();
    break;
  case 'family': { // a child that would outlive us unless the group is killed
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    process.stdout.write(`child ${child.pid}\n`);
    if (rest[0] === 'exit') setTimeout(() => process.exit(0), 100);
    else forever();
    break;
  }
  case 'daemon': {
    let renewals = 0;
    process.on('SIGUSR1', () => process.stdout.write(`renewed ${++renewals}\n`));
    process.on('SIGTERM', () => {
      process.stdout.write('stopping\n');
      process.exit(0);
    });
    process.stderr.write('ready\n');
    forever();
    break;
  }
  case 'stubborn':
    process.on('SIGTERM', () => process.stdout.write('ignoring SIGTERM\n'));
    process.stdout.write('ready\n');
    forever();
    break;
  case 'crash':
    process.stdout.write('starting\n');
    setTimeout(() => process.exit(7), 50);
    break;
  default:
    process.stderr.write(`fake-bot: unknown mode ${mode}\n`);
    process.exit(2);
}
