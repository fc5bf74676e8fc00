// Entry point of the catalogue lint:
//   node --import tsx harness/catalogue/lint-cli.ts [--features dir] [--catalogue file]
// Exit status: 0 clean (warnings allowed), 1 lint errors, 2 usage error.
import { parseArgs } from 'node:util';
import { formatReport, runCatalogueLint } from './lint.js';

const USAGE = `usage: node --import tsx harness/catalogue/lint-cli.ts [--features <dir>] [--catalogue <file>]

Checks that every scenario carries a requirement id of its own, that every
@BKP-... tag names a catalogued requirement, and that every MUST has a scenario.

  --features <dir>     feature files, searched recursively (default: features/)
  --catalogue <file>   requirement catalogue (default: features/requirements.yaml)
  -h, --help           show this help`;

function main(argv: string[]): number {
  let values: { features?: string; catalogue?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        features: { type: 'string' },
        catalogue: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const result = runCatalogueLint({
    ...(values.features !== undefined ? { featuresDir: values.features } : {}),
    ...(values.catalogue !== undefined ? { cataloguePath: values.catalogue } : {}),
  });
  process.stdout.write(`${formatReport(result)}\n`);
  return result.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
