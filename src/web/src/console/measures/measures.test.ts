import { describe, expect, it } from 'vitest';
import { chinaToday, lastMonths, pooled, type MeasureRow } from './measures';

const row = (num: number, den: number): MeasureRow => ({
  node: { id: 'n', name: 'n' },
  raised: den,
  response: { numerator: num, denominator: den, rate: den ? num / den : null },
  closure: { numerator: 0, denominator: 0, rate: null },
  onTimeClosure: { numerator: 0, denominator: 0, rate: null },
  satisfaction: { numerator: 0, denominator: 0, rate: null },
  byCategory: [],
  byStep: [],
});

describe('measures', () => {
  it('pools a rate over nodes by their counts, not by averaging rates', () => {
    expect(pooled([row(1, 1), row(1, 3)], 'response')).toBe(0.5); // the average of rates would say 0.67
    expect(pooled([row(0, 0)], 'closure')).toBeNull();
  });

  it('lists the last months, the current one ending today', () => {
    expect(lastMonths(3, new Date(2026, 2, 15))).toEqual([
      { label: '2026-01', from: '2026-01-01', to: '2026-01-31' },
      { label: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      { label: '2026-03', from: '2026-03-01', to: '2026-03-15' },
    ]);
  });

  it("takes today as China's date, which is a day ahead late in the UTC evening", () => {
    const today = chinaToday(new Date('2026-11-23T19:13:00Z'));
    expect([today.getFullYear(), today.getMonth() + 1, today.getDate()]).toEqual([2026, 11, 24]);
  });
});
