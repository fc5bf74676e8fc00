// Virtual time jumps between joins, never during one. A clock step of ten
// minutes in the middle of a ceremony would expire its challenge (valid for a
// minute), which is a failure the soak would cause, not find. Joins enter
// the gate; a step waits for those in flight, holds new ones back, moves the
// clock, and lets them go.
export class ClockGate {
  private inFlight = 0;
  private moving: Promise<void> | undefined;
  private drained: (() => void) | undefined;

  async enter(): Promise<void> {
    while (this.moving) await this.moving;
    this.inFlight++;
  }

  leave(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.drained?.();
  }

  async step(move: () => Promise<void>): Promise<void> {
    let release = () => {};
    this.moving = new Promise<void>((r) => (release = r));
    try {
      if (this.inFlight > 0) await new Promise<void>((r) => (this.drained = r));
      this.drained = undefined;
      await move();
    } finally {
      this.moving = undefined;
      release();
    }
  }
}
