// 公示: decisions, ballot results and rating results posted in the resident's community.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../shared/format';
import { Card, Empty, Loaded } from '../ui';
import { useNotices } from '../residentApi';

export function NoticesPage() {
  const { t } = useTranslation();
  const [all, setAll] = useState(false);
  const notices = useNotices(all);
  return (
    <>
      <Card
        title={t('resident.notices.title')}
        extra={
          <label className="m-switch m-switch-small">
            <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
            {t('resident.notices.all')}
          </label>
        }
      >
        <Loaded query={notices}>
          {(list) => (list.length === 0 ? <Empty>{t('resident.notices.none')}</Empty> : null)}
        </Loaded>
      </Card>
      <Loaded query={notices}>
        {(list) =>
          list.map((n) => (
            <Card key={n.id} testId="notice">
              <h3>{n.title}</h3>
              <div className="m-muted">
                {n.place.name} · {formatDateTime(n.postedAt)} ·{' '}
                {t('resident.notices.until', {
                  from: formatDate(n.firstDay),
                  to: formatDate(n.lastDay),
                  days: n.postingDays,
                })}
              </div>
              <p style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{n.body}</p>
            </Card>
          ))
        }
      </Loaded>
    </>
  );
}
