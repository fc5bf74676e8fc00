// Entry point of the `bkp` command: one program, one subcommand per role.
import { Command } from 'commander';
import { authCommand } from '../reference/auth/cli.js';

const program = new Command('bkp')
  .description('Bound keypair joining: reference implementations and conformance suite')
  .showHelpAfterError()
  .addCommand(authCommand());

await program.parseAsync(process.argv);
