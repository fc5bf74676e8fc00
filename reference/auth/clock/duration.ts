// Go-style durations ("90s", "1m30s", "25h", "250ms"): the form Teleport's
// configuration and CLI use, so operators can write what they are used to.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseGoDuration(text: string): number {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(trimmed)) {
    throw new RangeError(`invalid duration "${text}": expected e.g. 250ms, 90s, 1m30s or 25h`);
  }
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(amount) * (UNITS[unit as string] ?? 0);
  }
  return Math.round(total);
}
