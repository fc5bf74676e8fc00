// Entry point of the `bkp` command: one program, one subcommand per role.
// Each role's module is imported only when that role is asked for: a bot
// started by the suite hundreds of times per run should not pay for loading
// the auth server (its stores, its CA code) on every start.
import { Command } from 'commander';

const ROLES: Record<string, { summary: string; load: () => Promise<Command> }> = {
  auth: { summary: 'the reference auth server', load: async () => (await import('../reference/auth/cli.js')).authCommand() },
  bot: { summary: 'the reference bot (tbot-compatible)', load: async () => (await import('../reference/bot/cli.js')).botCommand() },
  run: { summary: 'the conformance suite against a target (bkp run --target <file>)', load: async () => (await import('./run/run-command.js')).runCommand() },
  report: { summary: 'regenerate a run\'s reports, or combine runs into a matrix (bkp report --matrix <run dirs>)', load: async () => (await import('./report/report-command.js')).reportCommand() },
};

const program = new Command('bkp')
  .description('Bound keypair joining: reference implementations and conformance suite')
  .showHelpAfterError();

const asked = process.argv[2];
const role = asked !== undefined ? ROLES[asked] : undefined;
if (role) {
  program.addCommand(await role.load());
} else {
  // `bkp`, `bkp --help` or an unknown role: list the roles without loading any.
  for (const [name, { summary }] of Object.entries(ROLES)) program.command(name).description(summary);
}

await program.parseAsync(process.argv);
