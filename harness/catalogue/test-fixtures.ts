// Helpers for the catalogue unit tests: small catalogues and feature files
// written to a fresh temporary directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FixtureDir {
  root: string;
  /** Write a file below root (creating parent directories); returns its absolute path. */
  write(relPath: string, content: string): string;
  cleanup(): void;
}

export function fixtureDir(prefix = 'bkp-catalogue-'): FixtureDir {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return {
    root,
    write(relPath, content) {
      const full = join(root, relPath);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface FixtureRequirement {
  id: string;
  level?: 'MUST' | 'SHOULD' | 'MAY';
  area?: string;
  retired?: boolean;
  replaced_by?: string[];
  extra?: string;
}

/** A catalogue in YAML text with areas ONB and CHL declared (plus any listed). */
export function catalogueYaml(reqs: FixtureRequirement[], areas: string[] = ['ONB', 'CHL']): string {
  const lines = ['version: 1', 'areas:'];
  for (const a of areas) lines.push(`  ${a}: { title: Area ${a} }`);
  lines.push(reqs.length === 0 ? 'requirements: []' : 'requirements:');
  for (const r of reqs) {
    lines.push(`  - id: ${r.id}`);
    lines.push(`    area: ${r.area ?? r.id.split('-')[1] ?? 'ONB'}`);
    lines.push(`    level: ${r.level ?? 'MUST'}`);
    lines.push(`    statement: "Requirement ${r.id} MUST hold in this fixture."`);
    lines.push('    source: "fixture"');
    if (r.retired !== undefined) lines.push(`    retired: ${String(r.retired)}`);
    if (r.replaced_by !== undefined) lines.push(`    replaced_by: [${r.replaced_by.join(', ')}]`);
    if (r.extra !== undefined) lines.push(`    ${r.extra}`);
  }
  return `${lines.join('\n')}\n`;
}
