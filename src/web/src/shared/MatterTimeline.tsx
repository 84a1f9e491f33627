// A matter's story as the server tells it (GET /api/matters/{id} → timeline): each step, the meeting held (when it sat,
// its motions and their fates), what the meeting decided, the
// owners' vote, the work's progress with its evidence photos, what was posted and the reader's own rating.
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from './format';
import { formatSitting } from './sitting';
import type { TimelineEntry } from './types';

const dot = { position: 'absolute', left: -7, top: 5, width: 12, height: 12, borderRadius: '50%' } as const;
const colours: Record<string, string> = {
  raised: '#c0392b',
  step: '#1677ff',
  taskCreated: '#bfbfbf',
  taskCompleted: '#52c41a',
  meeting: '#722ed1',
  resolution: '#722ed1',
  vote: '#fa8c16',
  notice: '#13c2c2',
  workStarted: '#1677ff',
  workProgress: '#1677ff',
  workDone: '#52c41a',
  rating: '#eb2f96',
  closed: '#389e0d',
  finished: '#389e0d',
};

/** The text a person wrote into a task's form (notes, opinions, results); flags and numbers say little out of context. */
function writtenValues(values: TimelineEntry['values']): string[] {
  return Object.values(values ?? {}).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

const box = {
  marginTop: 4,
  padding: '4px 8px',
  background: '#fafafa',
  borderRadius: 6,
  whiteSpace: 'pre-wrap',
} as const;

export function MatterTimeline({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useTranslation();
  // "流程结束" says nothing a resident needs once "已办结" has been told.
  const shown = entries.filter((e) => e.kind !== 'finished' || !entries.some((x) => x.kind === 'closed'));
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="timeline">
      {shown.map((entry, i) => (
        <li
          key={i}
          data-testid={`timeline-${entry.kind}`}
          style={{
            position: 'relative',
            padding: '0 0 14px 18px',
            marginLeft: 6,
            borderLeft: i === shown.length - 1 ? '2px solid transparent' : '2px solid #f0f0f0',
          }}
        >
          <span style={{ ...dot, background: colours[entry.kind] ?? '#bfbfbf' }} />
          <div style={{ fontWeight: 500 }}>
            {entry.title}
            {entry.outcomeLabel && <span style={{ color: 'var(--d-outcome, #237804)' }}>：{entry.outcomeLabel}</span>}
          </div>
          <div style={{ color: 'var(--d-muted, #666)', fontSize: 'var(--d-small, 13px)' }}>
            {formatDateTime(entry.at)}
            {entry.actor ? ` · ${entry.actor.name}` : ''}
          </div>
          {entry.text && <div style={box}>{entry.text}</div>}
          {entry.meeting && (
            // The meeting that sat on the matter: when it actually sat, and what became of each motion about the matter.
            <div data-testid="timeline-meeting-detail">
              <div style={{ fontSize: 'var(--d-small, 13px)' }}>
                {t('common.meetingSat', { time: formatSitting(entry.meeting.openedAt, entry.meeting.closedAt) })}
              </div>
              {entry.meeting.motions.map((m, j) => (
                <div key={j} style={box} data-testid="timeline-motion">
                  {m.proposedBy ? t('common.motionBy', { text: m.text, name: m.proposedBy }) : m.text}
                  <span style={{ color: 'var(--d-outcome, #237804)' }}>：{m.fateName}</span>
                </div>
              ))}
            </div>
          )}
          {typeof entry.dueDate === 'string' && (
            <div style={{ color: 'var(--d-muted, #666)', fontSize: 'var(--d-small, 13px)', marginTop: 2 }}>
              {t(entry.kind === 'notice' ? 'common.postedUntil' : 'common.dueBy', { date: formatDate(entry.dueDate) })}
            </div>
          )}
          {writtenValues(entry.values).map((text, j) => (
            <div key={j} style={box}>
              {text}
            </div>
          ))}
          {entry.photos && entry.photos.length > 0 && (
            <div className="m-photos" style={{ display: 'flex', flexWrap: 'wrap', gap: 6, marginTop: 6 }}>
              {entry.photos.map((p) => (
                <a key={p.id} href={p.url} target="_blank" rel="noreferrer" data-testid="timeline-photo">
                  <img
                    src={p.url}
                    alt={p.fileName}
                    style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 6 }}
                  />
                </a>
              ))}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}
