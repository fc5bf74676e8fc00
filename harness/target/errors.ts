// A configuration problem: the target file, a file it names, an option, or
// the implementation's answers during pre-flight are not what the suite
// needs. `bkp run` prints each problem as `configuration error: <where>:
// <what>` and exits 2: the run could not judge the implementation at all.

export interface Problem {
  /** The field (`launch.ready.timeout`), file or address at fault. */
  where: string;
  what: string;
}

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
  readonly problems: readonly Problem[];

  constructor(problems: Problem[] | Problem) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map((p) => `${p.where}: ${p.what}`).join('\n'));
    this.problems = list;
  }

  /** One line per problem, as `bkp run` prints them. */
  lines(): string[] {
    return this.problems.map((p) => `configuration error: ${p.where}: ${p.what}`);
  }
}

/** Shorthand for throwing one problem. */
export function configurationError(where: string, what: string): ConfigurationError {
  return new ConfigurationError({ where, what });
}
