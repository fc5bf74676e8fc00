// Records every uncaught exception and unhandled rejection in this process
// (the server under fuzz runs in it), so that a case can fail on them
// instead of the process dying or, worse, carrying on silently.

export class ProcessGuard {
  private readonly seen: string[] = [];
  private readonly onException = (err: unknown) => void this.seen.push(`uncaught exception: ${describe(err)}`);
  private readonly onRejection = (reason: unknown) => void this.seen.push(`unhandled rejection: ${describe(reason)}`);

  install(): void {
    process.on('uncaughtException', this.onException);
    process.on('unhandledRejection', this.onRejection);
  }

  uninstall(): void {
    process.off('uncaughtException', this.onException);
    process.off('unhandledRejection', this.onRejection);
  }

  /** What was recorded since the last take. */
  take(): string[] {
    return this.seen.splice(0, this.seen.length);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}
