import { describe, expect, it } from 'vitest';
import i18n from './i18n';
import { formatSitting } from './sitting';

describe('formatSitting', () => {
  it('shows a meeting that opened early by when it opened and closed, on one day', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatSitting('2026-12-06T13:29:00Z', '2026-12-06T13:29:40Z')).toBe('2026/12/06 21:29–21:29');
  });

  it('names both days when the meeting sat past midnight in China', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatSitting('2026-12-06T15:50:00Z', '2026-12-06T16:10:00Z')).toBe('2026/12/06 23:50–2026/12/07 00:10');
  });

  it('shows only the opening while the meeting sits, and nothing before it opened', () => {
    expect(formatSitting('2026-12-06T13:29:00Z', null)).toMatch(/21:29–$/);
    expect(formatSitting(null, null)).toBe('');
  });
});
