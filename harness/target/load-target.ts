// Loads a target file: bounded read, strict YAML (no aliases, no duplicate
// keys), the schema, then the role's own rules. All problems found are
// reported together, each naming the file and the field, as one
// ConfigurationError — a user fixes a broken target in one pass.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BotTargetError, parseBotTarget } from '../../steps/support/bot-target.js';
import { ConfigurationError } from './errors.js';
import type { Problem } from './errors.js';
import type { Target } from './model.js';
import { targetSchemaErrors } from './schema.js';
import { controlApiFrom, launchFrom, PathChecker } from './server-target.js';
import type { RawControlApi, RawLaunch } from './server-target.js';

const MAX_TARGET_BYTES = 256 * 1024;

interface RawTarget {
  version: 1;
  role: 'server' | 'bot';
  name: string;
  description?: string;
  launch?: RawLaunch;
  control_api?: RawControlApi;
  capabilities?: string[];
  expectations?: string;
}

/** How a target file is named in messages: relative to the working directory when it lies below it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function readText(file: string): string {
  try {
    const size = statSync(file).size;
    if (size > MAX_TARGET_BYTES) throw new Error(`${size} bytes, more than the ${MAX_TARGET_BYTES} a target file may have`);
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigurationError({ where: displayPath(file), what: `cannot read the target file: ${(e as Error).message}` });
  }
}

/** Parses and checks a target file's text; `file` (absolute) is used for messages and to resolve relative paths. */
export function parseTarget(text: string, file: string): Target {
  const shown = displayPath(file);
  const fail = (problems: Problem[]): never => {
    throw new ConfigurationError(problems.map((p) => ({ where: `${shown}: ${p.where}`, what: p.what })));
  };
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (e) {
    fail([{ where: '(file)', what: `not valid YAML: ${(e as Error).message.split('\n')[0]}` }]);
  }
  const schemaProblems = targetSchemaErrors(doc).map((line) => {
    const colon = line.indexOf(': ');
    return { where: line.slice(0, colon), what: line.slice(colon + 2) };
  });
  if (schemaProblems.length > 0) fail(schemaProblems);

  const raw = doc as RawTarget;
  const problems: Problem[] = [];
  const paths = new PathChecker(path.dirname(file), problems);
  const common = {
    file,
    name: raw.name,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    ...(raw.expectations !== undefined ? { expectations: paths.existing(raw.expectations, 'expectations', 'file') } : {}),
  };
  if (raw.role === 'bot') {
    try {
      const bot = parseBotTarget(text, file);
      paths.existing(bot.workingDirectory, 'bot.working_directory', 'directory');
      if (problems.length > 0) fail(problems);
      return { ...common, role: 'bot', bot };
    } catch (e) {
      if (!(e instanceof BotTargetError)) throw e;
      // The bot loader's message starts with its own `bot target <file>: ` prefix; the field follows.
      const detail = e.message.replace(/^bot target .*?: /, '');
      const colon = detail.indexOf(': ');
      return fail([{ where: detail.slice(0, colon), what: detail.slice(colon + 2) }]);
    }
  }
  const controlApi = controlApiFrom(raw.control_api, paths, problems);
  const launch = launchFrom(raw.launch as RawLaunch, controlApi, paths, problems);
  if (problems.length > 0) fail(problems);
  return { ...common, role: 'server', launch, controlApi, claimedCapabilities: [...(raw.capabilities ?? [])] };
}

/** Reads and checks a target file (a path relative to the working directory, or absolute). */
export function loadTarget(file: string): Target {
  const absolute = path.resolve(file);
  return parseTarget(readText(absolute), absolute);
}
