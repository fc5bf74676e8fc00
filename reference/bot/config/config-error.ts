// A usage or configuration problem the operator must fix (a bad flag value,
// conflicting settings, an unreadable config file). The CLI exits with 2.
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
