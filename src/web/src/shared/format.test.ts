import { describe, expect, it } from 'vitest';
import i18n from './i18n';
import { formatMonthDay } from './format';

describe('formatMonthDay', () => {
  it('names the day as a Chinese notice does, and in English', async () => {
    const noon = new Date(2026, 11, 21, 12, 0).toISOString(); // local noon: the same day in any zone the browser has
    await i18n.changeLanguage('zh-CN');
    expect(formatMonthDay(noon)).toBe('12月21日');
    await i18n.changeLanguage('en');
    expect(formatMonthDay(noon)).toBe('21 December');
    expect(formatMonthDay(null)).toBe('');
  });
});
