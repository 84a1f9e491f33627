// A matter's history as the server tells it (GET /api/matters/{id} → timeline): what happened, when, by whom.
import { formatDateTime } from './format';
import type { TimelineEntry } from './types';

const dot = { position: 'absolute', left: -7, top: 5, width: 12, height: 12, borderRadius: '50%' } as const;
const colours: Record<string, string> = {
  raised: '#c0392b',
  step: '#1677ff',
  taskCreated: '#bfbfbf',
  taskCompleted: '#52c41a',
  finished: '#389e0d',
};

/** The text a person wrote into a task's form (notes, opinions, results); flags and numbers say little out of context. */
function writtenValues(values: TimelineEntry['values']): string[] {
  return Object.values(values ?? {}).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
}

export function MatterTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="timeline">
      {entries.map((entry, i) => (
        <li
          key={i}
          style={{
            position: 'relative',
            padding: '0 0 14px 18px',
            marginLeft: 6,
            borderLeft: i === entries.length - 1 ? '2px solid transparent' : '2px solid #f0f0f0',
          }}
        >
          <span style={{ ...dot, background: colours[entry.kind] ?? '#bfbfbf' }} />
          <div style={{ fontWeight: 500 }}>
            {entry.title}
            {entry.outcomeLabel && <span style={{ color: '#389e0d' }}>：{entry.outcomeLabel}</span>}
          </div>
          <div style={{ color: 'var(--d-muted, #666)', fontSize: 'var(--d-small, 13px)' }}>
            {formatDateTime(entry.at)}
            {entry.actor ? ` · ${entry.actor.name}` : ''}
          </div>
          {writtenValues(entry.values).map((text, j) => (
            <div
              key={j}
              style={{
                marginTop: 4,
                padding: '4px 8px',
                background: '#fafafa',
                borderRadius: 6,
                whiteSpace: 'pre-wrap',
              }}
            >
              {text}
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}
