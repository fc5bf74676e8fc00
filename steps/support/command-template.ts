// Argument templates of a bot target (docs/bot-contract.md): each operation is
// an argv array and an environment whose strings may name placeholders such
// as `{storage}`. Rendering never involves a shell, so a value can hold spaces
// or quotes and still arrive as exactly one argument.
//
// Syntax: `{name}` with name = [A-Za-z_][A-Za-z0-9_]* is a placeholder and
// must be one of PLACEHOLDERS; `{{name}}` is the literal text `{name}`. Any
// other brace (`{ x }`, `{"a":1}`) is ordinary text.

export const PLACEHOLDERS = [
  'auth_addr',
  'web_addr',
  'token',
  'storage',
  'secret',
  'secret_path',
  'static_key_path',
  'ca_path',
  'certificate_ttl',
  'renewal_interval',
  'clock_file',
  // For bots in containers (targets/reference-bot.container.yaml): the
  // scenario's private directory (every path above lies inside it, so one
  // bind mount at the same path makes them all valid in the container), a
  // container name unique to this operation run (the `kill` operation names
  // the daemon's), and the suite's uid:gid (files the bot writes stay the suite's).
  'work_dir',
  'container_name',
  'host_user',
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];

export type PlaceholderValues = Partial<Record<Placeholder, string>>;

/** A template names a placeholder that does not exist, or one without a value. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

const TOKEN = /\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const KNOWN = new Set<string>(PLACEHOLDERS);

export function isPlaceholder(name: string): name is Placeholder {
  return KNOWN.has(name);
}

/** The placeholder names a template uses (escaped `{{name}}` excluded), in order of appearance. */
export function placeholdersIn(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(TOKEN)) if (m[2] !== undefined) names.push(m[2]);
  return names;
}

/**
 * Throws a TemplateError naming `where` (e.g. `bot.operations.join_once.argv[3]`)
 * and the placeholder when the template uses one that does not exist.
 */
export function checkTemplate(template: string, where: string): void {
  for (const name of placeholdersIn(template)) {
    if (!isPlaceholder(name)) {
      throw new TemplateError(`${where}: unknown placeholder {${name}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`);
    }
  }
}

/** Why a placeholder has no value, for the error message (e.g. `the server reported no web_address`). */
export type MissingHints = Partial<Record<Placeholder, string>>;

/** Renders one template; a placeholder without a value is an error naming what the scenario must provide. */
export function renderTemplate(template: string, values: PlaceholderValues, where: string, hints: MissingHints = {}): string {
  return template.replace(TOKEN, (_all, escaped: string | undefined, name: string | undefined) => {
    if (escaped !== undefined) return `{${escaped}}`;
    const key = name ?? '';
    if (!isPlaceholder(key)) throw new TemplateError(`${where}: unknown placeholder {${key}}`);
    const value = values[key];
    if (value === undefined) throw new TemplateError(`${where}: uses {${key}}, but ${hints[key] ?? 'no value for it is set in this scenario'}`);
    return value;
  });
}

export function renderArgv(argv: readonly string[], values: PlaceholderValues, where: string, hints: MissingHints = {}): string[] {
  return argv.map((arg, i) => renderTemplate(arg, values, `${where}.argv[${i}]`, hints));
}

export function renderEnv(env: Readonly<Record<string, string>>, values: PlaceholderValues, where: string, hints: MissingHints = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(env)) out[name] = renderTemplate(template, values, `${where}.env.${name}`, hints);
  return out;
}
