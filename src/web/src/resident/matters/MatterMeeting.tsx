// When and where the resident's matter will be discussed: the meeting whose agenda carries it, with its title, time,
// place and state (a rescheduled meeting says so; a cancelled one says why, beside the meeting the matter moved to;
// a draft says 时间待定 until its notice goes out).
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { formatSitting } from '../../shared/sitting';
import { useMatterMeetings } from '../residentApi';
import { Card } from '../ui';

const TAG: Record<string, string> = { cancelled: 'm-tag', closed: 'm-tag green', minutesApproved: 'm-tag green' };

export function MatterMeeting({ matterId }: { matterId: string }) {
  const { t } = useTranslation();
  const meetings = useMatterMeetings(matterId).data ?? [];
  if (meetings.length === 0) return null;
  return (
    <Card title={t('resident.meeting.title')} testId="matter-meeting">
      {meetings.map((m) => (
        <div key={m.meetingId} style={{ marginBottom: 8 }} data-testid={`matter-meeting-${m.state}`}>
          <div>
            <b>{m.title}</b> <span className={TAG[m.state] ?? 'm-tag grey'}>{m.stateName}</span>
            {m.rescheduled && m.state !== 'cancelled' && (
              <span className="m-tag grey" style={{ marginLeft: 4 }}>
                {t('resident.meeting.rescheduled')}
              </span>
            )}
          </div>
          {m.state === 'cancelled' ? (
            <div className="m-muted">{t('resident.meeting.cancelled', { reason: m.cancelReason ?? '' })}</div>
          ) : m.openedAt ? (
            // Held (or sitting): when it sat, not the time it was called for — it may have opened early.
            <>
              <div data-testid="matter-meeting-when">
                {t('resident.meeting.sat')}：{formatSitting(m.openedAt, m.closedAt)}
              </div>
              <div data-testid="matter-meeting-where">
                {t('resident.meeting.where')}：{m.place || t('resident.meeting.placeTbd')}
              </div>
            </>
          ) : !m.startsAt ? (
            // A draft: the server does not announce the organisers' working time before the notice.
            <>
              <div data-testid="matter-meeting-when">{t('resident.meeting.timeTbd')}</div>
              <div className="m-muted">{t('resident.meeting.tbdHint')}</div>
            </>
          ) : (
            <>
              <div data-testid="matter-meeting-when">
                {t('resident.meeting.when')}：{formatDateTime(m.startsAt)}
              </div>
              <div data-testid="matter-meeting-where">
                {t('resident.meeting.where')}：{m.place || t('resident.meeting.placeTbd')}
              </div>
            </>
          )}
        </div>
      ))}
    </Card>
  );
}
