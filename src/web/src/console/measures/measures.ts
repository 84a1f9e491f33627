// Measures as the server computes them (MatterMeasures): per node, over a period. The console charts the
// rates per node for a period, and over the last months by asking for each month in turn (the API takes from/to).
export interface Rate {
  numerator: number;
  denominator: number;
  rate: number | null;
}
export interface MeasureRow {
  node: { id: string; name: string };
  raised: number;
  response: Rate;
  closure: Rate;
  onTimeClosure: Rate;
  satisfaction: Rate;
  byCategory: { code: string; name: string; count: number }[];
  byStep: { code: string; name: string; count: number }[];
}
export interface Measures {
  level: string;
  from: string;
  to: string;
  rows: MeasureRow[];
}

export const RATES = ['response', 'closure', 'onTimeClosure', 'satisfaction'] as const;
export type RateKey = (typeof RATES)[number];
export const RATE_COLOURS: Record<RateKey, string> = {
  response: '#1677ff',
  closure: '#52c41a',
  onTimeClosure: '#faad14',
  satisfaction: '#c0392b',
};

/** One rate over every row: the sum of numerators over the sum of denominators (not an average of rates). */
export function pooled(rows: MeasureRow[], key: RateKey): number | null {
  const numerator = rows.reduce((n, r) => n + r[key].numerator, 0);
  const denominator = rows.reduce((n, r) => n + r[key].denominator, 0);
  return denominator === 0 ? null : numerator / denominator;
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/**
 * Today's date in China: the server reads a date as a day in China time (ChinaTime), whatever the browser's zone,
 * so "today" must be China's today or the last hours of a day would fall outside the period. Returned as a local
 * Date at midnight so that calendar arithmetic stays simple.
 */
export function chinaToday(now: Date = new Date()): Date {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .format(now)
    .split('-')
    .map(Number);
  return new Date(y, m - 1, d);
}

/** The last n calendar months up to and including the one of `today`, as from/to dates (to = the month's last day). */
export function lastMonths(n: number, today: Date = chinaToday()): { label: string; from: string; to: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const first = new Date(today.getFullYear(), today.getMonth() - (n - 1 - i), 1);
    const last = new Date(first.getFullYear(), first.getMonth() + 1, 0);
    return {
      label: `${first.getFullYear()}-${pad(first.getMonth() + 1)}`,
      from: day(first),
      to: day(last > today ? today : last),
    };
  });
}

export function isoDay(d: Date): string {
  return day(d);
}
