// `bkp report`: regenerate a run's reports from its message stream, or
// combine runs into one matrix.
//   bkp report reports/<run-id>                      → that run's reports again
//   bkp report --matrix reports/A reports/B --out reports/matrix
//                                                   → matrix.json, matrix.html
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { loadCatalogue } from '../catalogue/catalogue.js';
import { buildMatrix, readConformance } from './matrix.js';
import { renderMatrixPage } from './matrix-page.js';
import { describeWritten } from './run-directory.js';
import { writeRunReports } from './run-reports.js';

export async function writeMatrix(runDirs: string[], outDir: string): Promise<string> {
  const runs = runDirs.map((dir) => ({ dir: path.resolve(dir), report: readConformance(dir) }));
  const out = path.resolve(outDir);
  mkdirSync(out, { recursive: true });
  const titles = Object.fromEntries(Object.entries(loadCatalogue().areas).map(([k, a]) => [k, a.title]));
  const matrix = buildMatrix(runs, out, titles);
  writeFileSync(path.join(out, 'matrix.json'), `${JSON.stringify(matrix, null, 1)}\n`);
  const page = path.join(out, 'matrix.html');
  writeFileSync(page, renderMatrixPage(matrix));
  return page;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('regenerate a run\'s reports from its messages.ndjson, or combine runs into a matrix')
    .argument('<run-dirs...>', 'run directories written by bkp run (reports/<run-id>)')
    .option('--matrix', 'combine the runs into matrix.json and matrix.html')
    .option('--out <dir>', 'where the matrix goes', 'reports/matrix')
    .action(async (dirs: string[], opts: { matrix?: boolean; out: string }) => {
      try {
        if (opts.matrix) {
          const page = await writeMatrix(dirs, opts.out);
          process.stdout.write(`matrix of ${dirs.length} run(s): ${path.relative(process.cwd(), page)}\n`);
          return;
        }
        for (const dir of dirs) process.stdout.write(`${describeWritten(path.resolve(dir), await writeRunReports(dir))}\n`);
      } catch (e) {
        process.stderr.write(`bkp report: ${(e as Error).message}\n`);
        process.exitCode = 2;
      }
    });
}
