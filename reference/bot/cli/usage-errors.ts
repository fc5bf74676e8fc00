// Commander exits with 1 on a usage error; the bot's contract is 2 (exit
// codes in docs/bot.md). Help and version output still exit 0.
import type { Command } from 'commander';
import { EXIT_USAGE } from '../lifecycle/exit-codes.js';

export function usageErrorsExit2<T extends Command>(command: T): T {
  command.exitOverride((err) => {
    process.exit(err.exitCode === 0 ? 0 : EXIT_USAGE);
  });
  return command;
}
