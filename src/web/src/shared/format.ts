// Date-only values (C# DateOnly) arrive typed `unknown` from the generated API types: the formatters take them as they come.
// Dates and times as people in the community read them — the one formatter of the web app (date, date-time, relative,
// deadline). Times are shown in China time, as the server means them (ChinaTime), whatever zone the browser is in: a
// meeting at 15:00 is at 15:00 for the resident abroad too. A date-only value ("2026-12-20", a deadline that is the end
// of that day in China) is shown as that date, never as "00:00" of the next.
import i18n from './i18n';

export const CHINA_TIME_ZONE = 'Asia/Shanghai';

function locale() {
  return i18n.language === 'en' ? 'en-GB' : 'zh-CN';
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A date-only string is a calendar day, not an instant: read it at UTC noon and print it in UTC, so no zone moves it. */
function instant(value: string): { at: Date; timeZone: string } {
  return DATE_ONLY.test(value)
    ? { at: new Date(`${value}T12:00:00Z`), timeZone: 'UTC' }
    : { at: new Date(value), timeZone: CHINA_TIME_ZONE };
}

/** "2026/12/20 15:00" (zh-CN) or "20/12/2026, 15:00" (en): an instant in China time; a date-only value as its date. */
export function formatDateTime(iso: unknown, timeZone?: string): string {
  if (typeof iso !== 'string' || !iso) return '';
  if (DATE_ONLY.test(iso)) return formatDate(iso);
  return new Date(iso).toLocaleString(locale(), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: timeZone ?? CHINA_TIME_ZONE,
  });
}

/** "2026/12/20" (zh-CN) or "20/12/2026" (en): the day of an instant in China, or a date-only value as it is. */
export function formatDate(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  const { at, timeZone } = instant(value);
  return at.toLocaleDateString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit', timeZone });
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000; // China keeps UTC+8 all year (the server's ChinaTime.Offset)

/**
 * The China day an instant ends, when it is the end of one (China midnight, as the server stores a date-only deadline or a
 * period's last day): "2026-12-20" for 2026-12-20T16:00:00Z. Null for an instant at another time of day.
 */
export function endedDay(iso: unknown): string | null {
  if (typeof iso !== 'string' || !iso || DATE_ONLY.test(iso)) return null;
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms) || (ms + CHINA_OFFSET_MS) % DAY_MS !== 0) return null;
  return new Date(ms + CHINA_OFFSET_MS - DAY_MS).toISOString().slice(0, 10);
}

/**
 * A deadline: its date when it is the end of a China day ("2026/12/20", never "2026/12/21 00:00"), else its date and time.
 */
export function formatDeadline(iso: unknown): string {
  const day = endedDay(iso);
  return day ? formatDate(day) : formatDateTime(iso);
}

/**
 * The last moment of a period (a ballot's close): the end of a China day is written as that day's 24:00 — "2027/01/05 24:00" —
 * as the server's notices write it ("2027年1月5日 24:00"), so nobody thinks voting is still open on the 6th. Else date and time.
 */
export function formatUntil(iso: unknown): string {
  const day = endedDay(iso);
  return day ? `${formatDate(day)} 24:00` : formatDateTime(iso);
}

/** Month and day, e.g. "12月21日" / "21 December" — how a notice names the day voting opens. */
export function formatMonthDay(value: unknown): string {
  if (typeof value !== 'string' || !value) return '';
  const { at, timeZone } = instant(value);
  return at.toLocaleDateString(locale(), { month: 'long', day: 'numeric', timeZone });
}

/** "3 天后" / "2 小时前" / "in 3 days": how far a time is from now, in days past two days, else in hours. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const { hours, days } = timeLeft(iso, now);
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  return Math.abs(days) >= 2 ? format.format(days, 'day') : format.format(hours, 'hour');
}

/** Whole hours (or days past two days) from now until a time; negative when it has passed. */
export function timeLeft(iso: string, now: Date = new Date()): { hours: number; days: number; past: boolean } {
  const ms = new Date(iso).getTime() - now.getTime();
  const hours = Math.trunc(ms / 3_600_000);
  return { hours, days: Math.trunc(hours / 24), past: ms < 0 };
}

/**
 * A deadline as a person needs it: when it is (a date for a date-only deadline), and either how long is left, or — once
 * the thing is done — when it was done and whether in time. A finished item never counts days left.
 */
export type DueState =
  | { kind: 'none' }
  | { kind: 'done'; doneAt: string; onTime: boolean; when: string }
  | { kind: 'overdue'; when: string }
  | { kind: 'open'; when: string; days: number; hours: number };

export function dueState(
  due: { deadline?: string | null; dueDate?: unknown; doneAt?: string | null; overdue?: boolean },
  now: Date = new Date(),
): DueState {
  if (!due.deadline) return { kind: 'none' };
  const when = typeof due.dueDate === 'string' && due.dueDate ? formatDate(due.dueDate) : formatDeadline(due.deadline);
  if (due.doneAt) {
    return {
      kind: 'done',
      doneAt: formatDateTime(due.doneAt),
      onTime: new Date(due.doneAt).getTime() <= new Date(due.deadline).getTime(),
      when,
    };
  }
  const left = timeLeft(due.deadline, now);
  if (due.overdue ?? left.past) return { kind: 'overdue', when };
  return { kind: 'open', when, days: left.days, hours: Math.max(left.hours, 0) };
}

/** A percentage of a 0–1 rate, or a dash when there is nothing to divide. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;
}
