// How the cases of one property ended (gRPC status names, HTTP statuses),
// counted for the report: a fuzzer whose cases all end the same way is not
// reaching much.

export class Outcomes {
  private readonly counts = new Map<string, number>();

  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }

  /** Most frequent first. */
  entries(): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1]);
  }
}
