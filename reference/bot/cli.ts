// `bkp bot`: the reference bot, a tbot-compatible client for bound keypair
// joining. `keypair create` makes a keypair to pre-register; `start` joins
// and keeps the identity renewed. See docs/bot.md.
import { Command } from 'commander';
import { keypairCommand } from './cli/keypair-create.js';
import { startCommand } from './cli/start.js';
import { usageErrorsExit2 } from './cli/usage-errors.js';
import { announceMutant } from '../mutants/switch.js';

export function botCommand(): Command {
  announceMutant();
  return usageErrorsExit2(new Command('bot'))
    .description('the reference bot: a tbot-compatible bound keypair client')
    .addCommand(keypairCommand())
    .addCommand(startCommand());
}
