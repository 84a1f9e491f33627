import { useLocation, useParams } from 'react-router';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { MatterTimeline } from '../../shared/MatterTimeline';
import { Card, LinkButton, Loaded } from '../ui';
import { useMatter, useOpenRatings } from '../residentApi';
import { StepProgress } from './StepProgress';
import { MatterMeeting } from './MatterMeeting';

/** One matter: where it stands in the six steps, what it is about, and everything that happened to it. */
export function MatterPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const matter = useMatter(id);
  const canRate = useOpenRatings().data?.some((r) => r.matter.id === id) ?? false;
  const raised = useLocation().state as { raised?: boolean; photoProblem?: string | null; rated?: boolean } | null;
  return (
    <Loaded query={matter}>
      {(m) => (
        <>
          {raised?.raised && (
            <Alert
              type="success"
              showIcon
              title={t('resident.raise.done')}
              style={{ marginBottom: 12 }}
              data-testid="raised"
            />
          )}
          {raised?.rated && (
            <Alert
              type="success"
              showIcon
              title={t('resident.rate.thanks')}
              style={{ marginBottom: 12 }}
              data-testid="rate-thanks"
            />
          )}
          {raised?.photoProblem && (
            <Alert
              type="warning"
              showIcon
              title={t('resident.raise.photosFailed', { message: raised.photoProblem })}
              style={{ marginBottom: 12 }}
            />
          )}
          <MatterMeeting matterId={m.id} />
          <Card title={m.title} testId="matter-detail">
            <div style={{ marginBottom: 8 }}>
              <span className={m.step === 'closed' ? 'm-tag green' : 'm-tag'} data-testid="matter-step">
                {m.stepName}
              </span>
            </div>
            <StepProgress step={m.step} />
            <p style={{ whiteSpace: 'pre-wrap' }}>{m.description}</p>
            <div className="m-muted">
              {m.categoryName} · {[m.grid.name, m.building?.name, m.location].filter(Boolean).join(' · ')}
            </div>
            <div className="m-muted">
              {t('resident.matter.raisedBy')}：{m.raisedBy.name}
            </div>
            {m.photos.length > 0 && (
              <div className="m-photos" style={{ marginTop: 10 }}>
                {m.photos.map((p) => (
                  <a key={p.id} href={p.url} target="_blank" rel="noreferrer">
                    <img src={p.url} alt={p.fileName} />
                  </a>
                ))}
              </div>
            )}
            {m.resolution && (
              <p>
                <b>{t('resident.matter.resolution')}：</b>
                {m.resolution}
              </p>
            )}
            {m.closingReportUrl && (
              <a
                href={m.closingReportUrl}
                target="_blank"
                rel="noreferrer"
                className="m-link-button m-link-button-plain"
                data-testid="closing-report"
              >
                {t('common.closingReport')}
              </a>
            )}
            {canRate && <LinkButton to={`/m/rate/${m.id}`}>{t('resident.matter.rateNow')}</LinkButton>}
          </Card>
          <Card title={t('resident.matter.timeline')}>
            <MatterTimeline entries={m.timeline} />
          </Card>
        </>
      )}
    </Loaded>
  );
}
