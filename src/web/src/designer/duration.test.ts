// Durations are edited as a number and a unit and stored as ISO 8601.
import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it.each([
    ['P3D', { amount: 3, unit: 'D' }],
    ['PT24H', { amount: 24, unit: 'H' }],
    ['PT30M', { amount: 30, unit: 'M' }],
    [' p7d ', { amount: 7, unit: 'D' }],
  ] as const)('reads %s as a number and a unit, and writes it back', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
    expect(formatDuration(parseDuration(text)!)).toBe(text.trim().toUpperCase());
  });

  it.each(['', '一天', 'P1DT2H', '00:01:00', 'PT', 'P-1D'])('leaves %j to the text field', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});
