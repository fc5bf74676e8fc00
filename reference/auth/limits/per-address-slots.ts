// How many things (join streams, control API requests) each client address
// holds open at once, and a refusal past a cap, so that one client cannot
// take the whole server while clients on other addresses carry on. The key
// is the IP address alone: a client opening many connections from many
// ports is still one client. Teleport's ConnectionsLimiter counts per client
// IP the same way.

export class PerAddressSlots {
  private readonly held = new Map<string, number>();

  /** `max` slots per address; 0 means no cap (counted all the same). */
  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`a per-address cap must be a non-negative integer, got ${max}`);
  }

  /**
   * Takes a slot for `address`: a function that gives it back (calling it
   * again does nothing), or undefined when the address already holds `max`.
   */
  acquire(address: string): (() => void) | undefined {
    const key = clientAddressKey(address);
    const now = this.held.get(key) ?? 0;
    if (this.max > 0 && now >= this.max) return undefined;
    this.held.set(key, now + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }

  heldBy(address: string): number {
    return this.held.get(clientAddressKey(address)) ?? 0;
  }

  /** Slots held over all addresses. */
  get total(): number {
    let sum = 0;
    for (const n of this.held.values()) sum += n;
    return sum;
  }
}

/**
 * The address a client is counted under: an IPv4 address seen through an
 * IPv6 socket (`::ffff:127.0.0.1`) is the same client as `127.0.0.1`.
 */
export function clientAddressKey(address: string): string {
  const lower = address.trim().toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice('::ffff:'.length) : lower;
}

/** Teleport's limiter text (lib/limiter), with what is being counted. */
export function tooManyFrom(address: string, held: number, max: number, what: string): string {
  return `too many connections from ${clientAddressKey(address)}: ${held}, max is ${max} (${what} per client address)`;
}
