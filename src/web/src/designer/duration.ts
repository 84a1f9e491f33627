// Durations are stored as ISO 8601 (PT30M, PT24H, P3D), as the server reads them; the designer shows and
// edits them as a number and a unit, so that nobody has to know the notation.
export type DurationUnit = 'M' | 'H' | 'D';
export interface SimpleDuration {
  amount: number;
  unit: DurationUnit;
}

const SIMPLE = /^P(?:(\d+)D|T(\d+)H|T(\d+)M)$/;

/** A duration in one unit (minutes, hours or days), or null for anything else (empty, mixed units, words). */
export function parseDuration(text: string): SimpleDuration | null {
  const m = SIMPLE.exec(text.trim().toUpperCase());
  if (!m) return null;
  if (m[1] !== undefined) return { amount: Number(m[1]), unit: 'D' };
  if (m[2] !== undefined) return { amount: Number(m[2]), unit: 'H' };
  return { amount: Number(m[3]), unit: 'M' };
}

export function formatDuration({ amount, unit }: SimpleDuration): string {
  return unit === 'D' ? `P${amount}D` : `PT${amount}${unit}`;
}
