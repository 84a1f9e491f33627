// Dates and times as people in the community read them: local time, 24-hour clock.
import i18n from './i18n';

function locale() {
  return i18n.language === 'en' ? 'en-GB' : 'zh-CN';
}

/** A time in the browser's zone, or in a given one (a review cycle's meetings are at 15:00 in Asia/Shanghai wherever one looks). */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '';
  return new Date(iso).toLocaleString(locale(), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  });
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit' });
}

/** Month and day, e.g. "12月21日" / "21 December" — how a notice names the day voting opens. */
export function formatMonthDay(iso: string | null | undefined): string {
  if (!iso) return '';
  return new Date(iso).toLocaleDateString(locale(), { month: 'long', day: 'numeric' });
}

/** Whole hours (or days past two days) from now until a time; negative when it has passed. */
export function timeLeft(iso: string, now: Date = new Date()): { hours: number; days: number; past: boolean } {
  const ms = new Date(iso).getTime() - now.getTime();
  const hours = Math.trunc(ms / 3_600_000);
  return { hours, days: Math.trunc(hours / 24), past: ms < 0 };
}

/** A percentage of a 0–1 rate, or a dash when there is nothing to divide. */
export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${Math.round(rate * 1000) / 10}%`;
}
