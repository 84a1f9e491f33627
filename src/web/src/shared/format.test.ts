import { afterEach, describe, expect, it } from 'vitest';
import i18n from './i18n';
import {
  dueState,
  endedDay,
  formatDate,
  formatDateTime,
  formatDeadline,
  formatMonthDay,
  formatRelative,
  formatUntil,
} from './format';

afterEach(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('formatMonthDay', () => {
  it('names the day as a Chinese notice does, and in English', async () => {
    const noon = '2026-12-21T04:00:00Z'; // noon in China
    await i18n.changeLanguage('zh-CN');
    expect(formatMonthDay(noon)).toBe('12月21日');
    expect(formatMonthDay('2026-12-21')).toBe('12月21日');
    await i18n.changeLanguage('en');
    expect(formatMonthDay(noon)).toBe('21 December');
    expect(formatMonthDay(null)).toBe('');
  });
});

describe('formatDateTime', () => {
  it('writes an instant in China time, whatever zone the browser is in', async () => {
    await i18n.changeLanguage('zh-CN');
    // 17:05 UTC on the 20th is 01:05 on the 21st in Beijing.
    expect(formatDateTime('2026-12-20T17:05:00Z')).toBe('2026/12/21 01:05');
    await i18n.changeLanguage('en');
    expect(formatDateTime('2026-12-20T17:05:00Z')).toBe('21/12/2026, 01:05');
    expect(formatDateTime(undefined)).toBe('');
  });

  it('writes a date-only value as its date, not as midnight', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatDateTime('2026-12-20')).toBe('2026/12/20');
  });
});

describe('formatDate', () => {
  it('writes a date-only value as that very day, and an instant as its day in China', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatDate('2026-12-20')).toBe('2026/12/20');
    // The end of 20 December in China (its deadline instant) is already the 21st: a date-only deadline must use dueDate.
    expect(formatDate('2026-12-20T16:00:00Z')).toBe('2026/12/21');
    expect(formatDate('2026-12-20T15:59:59Z')).toBe('2026/12/20');
    expect(formatDate(null)).toBe('');
  });
});

describe('formatRelative', () => {
  it('speaks in days beyond two days and in hours nearer, forwards and back', async () => {
    const now = new Date('2026-12-10T00:00:00Z');
    await i18n.changeLanguage('zh-CN');
    expect(formatRelative('2026-12-13T00:00:00Z', now)).toBe('3天后');
    expect(formatRelative('2026-12-09T22:00:00Z', now)).toBe('2小时前');
    await i18n.changeLanguage('en');
    expect(formatRelative('2026-12-13T00:00:00Z', now)).toBe('in 3 days');
  });
});

describe('dueState', () => {
  const deadline = '2026-12-20T16:00:00Z'; // the end of 20 December in China
  it('shows a date-only deadline as its date, not "2026/12/21 00:00"', async () => {
    await i18n.changeLanguage('zh-CN');
    const state = dueState({ deadline, dueDate: '2026-12-20' }, new Date('2026-12-06T00:00:00Z'));
    expect(state).toEqual({ kind: 'open', when: '2026/12/20', days: 14, hours: 352 });
  });

  it('never counts days left for a finished item: it says when it was done and whether in time', async () => {
    await i18n.changeLanguage('zh-CN');
    const now = new Date('2026-12-06T00:00:00Z');
    expect(dueState({ deadline, dueDate: '2026-12-20', doneAt: '2026-12-20T15:30:00Z' }, now)).toEqual({
      kind: 'done',
      doneAt: '2026/12/20 23:30',
      onTime: true,
      when: '2026/12/20',
    });
    expect(dueState({ deadline, dueDate: '2026-12-20', doneAt: '2026-12-21T01:00:00Z' }, now)).toMatchObject({
      kind: 'done',
      onTime: false,
    });
  });

  it('is overdue after the deadline and shows a deadline at a time of day with its time', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(dueState({ deadline: '2026-12-20T07:00:00Z' }, new Date('2026-12-21T00:00:00Z'))).toEqual({
      kind: 'overdue',
      when: '2026/12/20 15:00',
    });
    expect(dueState({ deadline: null })).toEqual({ kind: 'none' });
  });

  it('shows a deadline that is the end of a China day as that day even without dueDate (the work-items table)', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(dueState({ deadline }, new Date('2026-12-06T00:00:00Z'))).toEqual({
      kind: 'open',
      when: '2026/12/20',
      days: 14,
      hours: 352,
    });
    expect(formatDeadline(deadline)).toBe('2026/12/20');
    expect(formatDeadline('2026-12-20T07:00:00Z')).toBe('2026/12/20 15:00');
  });
});

describe('formatUntil', () => {
  it('writes a period ending at the end of a China day as that day 24:00, never 00:00 of the next', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatUntil('2027-01-05T16:00:00Z')).toBe('2027/01/05 24:00');
    expect(formatUntil('2027-01-05T16:00:00+00:00')).toBe('2027/01/05 24:00');
    expect(formatUntil('2027-01-05T10:00:00Z')).toBe('2027/01/05 18:00');
    expect(endedDay('2027-01-05T16:00:00Z')).toBe('2027-01-05');
    expect(endedDay('2027-01-05T16:00:01Z')).toBeNull();
  });
});
