// The arithmetic of the charts, apart from drawing: mapping values to pixels and choosing ticks.

/** A linear map from [d0, d1] to [r0, r1]; a flat domain maps everything to r0. */
export function scaleLinear([d0, d1]: [number, number], [r0, r1]: [number, number]) {
  const span = d1 - d0;
  return (value: number) => (span === 0 ? r0 : r0 + ((value - d0) / span) * (r1 - r0));
}

/** Evenly spaced ticks from 0 to max, inclusive. */
export function ticks(max: number, count = 5): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
}

/** A band scale: where each of n groups starts and how wide it is, with padding between groups. */
export function bands(n: number, width: number, padding = 0.2) {
  const step = n === 0 ? 0 : width / n;
  return { step, band: step * (1 - padding), start: (i: number) => i * step + (step * padding) / 2 };
}
