// The arithmetic behind the benchmark figures: latency percentiles and the
// least-squares slope of memory over time. Pure functions, unit-tested.

/**
 * The p-th percentile (0–100) of `values` by the nearest-rank method: the
 * smallest value such that at least p % of the values are at or below it.
 * Nearest-rank never invents a latency nobody saw (interpolation would).
 * NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summariseLatencies(latenciesMs: readonly number[]): LatencySummary {
  const count = latenciesMs.length;
  const sum = latenciesMs.reduce((a, b) => a + b, 0);
  return {
    count,
    meanMs: count === 0 ? NaN : sum / count,
    p50Ms: percentile(latenciesMs, 50),
    p95Ms: percentile(latenciesMs, 95),
    p99Ms: percentile(latenciesMs, 99),
    maxMs: count === 0 ? NaN : Math.max(...latenciesMs),
  };
}

export interface Line {
  /** Change of y per unit of x. */
  slope: number;
  intercept: number;
}

/** Ordinary least squares fit y = slope·x + intercept; needs two distinct x. */
export function leastSquares(points: readonly { x: number; y: number }[]): Line {
  const n = points.length;
  if (n < 2) throw new RangeError(`a slope needs at least two points, got ${n}`);
  const meanX = points.reduce((a, p) => a + p.x, 0) / n;
  const meanY = points.reduce((a, p) => a + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) throw new RangeError('a slope needs at least two distinct x values');
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}
