// When a held meeting actually sat: it may open up to 30 minutes before the time its notice gave, or after a reschedule,
// so a held meeting is shown by when it opened and closed, not by the time it was called for.
import { CHINA_TIME_ZONE, formatDateTime } from './format';

function chinaDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-CA', { timeZone: CHINA_TIME_ZONE });
}

/** "2026/12/06 21:29–21:45"; "2026/12/06 21:29–2026/12/07 09:10" across midnight; "2026/12/06 21:29–" while in session. */
export function formatSitting(openedAt: string | null | undefined, closedAt: string | null | undefined): string {
  if (!openedAt) return '';
  if (!closedAt) return `${formatDateTime(openedAt)}–`;
  if (chinaDay(openedAt) !== chinaDay(closedAt)) return `${formatDateTime(openedAt)}–${formatDateTime(closedAt)}`;
  const end = new Date(closedAt).toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: CHINA_TIME_ZONE,
  });
  return `${formatDateTime(openedAt)}–${end}`;
}
