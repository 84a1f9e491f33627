// 群众评事: the affected resident rates what was done; past rounds show their figures once closed.
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, Button, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, percent } from '../../shared/format';
import { matterKeys, ratingKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { Card, Loaded } from '../ui';
import { residentApi, useOpenRatings, useRatingRounds } from '../residentApi';

const CHOICES = ['satisfied', 'basicallySatisfied', 'dissatisfied'] as const;

export function RatePage() {
  const { matterId = '' } = useParams();
  const { t } = useTranslation();
  const open = useOpenRatings();
  const rounds = useRatingRounds(matterId);
  const [choice, setChoice] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState(false);
  const navigate = useNavigate();
  // Rated: back to the matter's story, where the rating now shows, with a word of thanks.
  const { run, busy, error } = useWrite(() => residentApi.rate(matterId, choice, comment.trim() || null), {
    onSuccess: () => {
      setDone(true);
      void navigate(`/m/matters/${matterId}`, { state: { rated: true } });
    },
    invalidate: [ratingKeys.all, matterKeys.all],
  });
  const send = () => void run();

  const round = open.data?.find((r) => r.matter.id === matterId);
  return (
    <>
      {done && (
        <Alert
          type="success"
          showIcon
          title={t('resident.rate.thanks')}
          style={{ marginBottom: 12 }}
          data-testid="rate-thanks"
        />
      )}
      <div style={{ marginBottom: 12 }}>
        <Link to={`/m/matters/${matterId}`} data-testid="rate-back">
          {t('resident.rate.backToMatter')}
        </Link>
      </div>
      <Loaded query={open}>
        {() =>
          round && !done ? (
            <Card title={t('resident.rate.prompt', { title: round.matter.title })} testId="rate-form">
              <div className="m-muted">{t('resident.rate.closesAt', { time: formatDateTime(round.closesAt) })}</div>
              {round.work.length > 0 && <h3 style={{ marginTop: 10 }}>{t('resident.rate.what')}</h3>}
              {round.work.map((w, i) => (
                <div key={i} style={{ marginBottom: 8 }}>
                  <div>
                    {w.title} <span className="m-muted">（{w.responsibleUnit}）</span>
                  </div>
                  {w.text && (
                    <div className="m-muted" style={{ whiteSpace: 'pre-wrap' }}>
                      {w.text}
                    </div>
                  )}
                </div>
              ))}
              {round.resolution && <p className="m-muted">{round.resolution}</p>}
              <div className="m-choices" style={{ marginTop: 10 }}>
                {CHOICES.map((c) => (
                  <button
                    key={c}
                    type="button"
                    className={choice === c ? 'm-choice selected' : 'm-choice'}
                    aria-pressed={choice === c}
                    onClick={() => setChoice(c)}
                    data-testid={`rate-${c}`}
                  >
                    {t(`resident.rate.${c}`)}
                  </button>
                ))}
              </div>
              <label className="m-field" style={{ marginTop: 14 }}>
                <span>{t('resident.rate.comment')}</span>
                <Input.TextArea
                  rows={3}
                  value={comment}
                  maxLength={1000}
                  onChange={(e) => setComment(e.target.value)}
                  data-testid="rate-comment"
                />
              </label>
              {error && (
                <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="rate-error" />
              )}
              <Button
                type="primary"
                block
                className="m-big"
                disabled={!choice}
                loading={busy}
                onClick={send}
                data-testid="rate-submit"
              >
                {t('resident.rate.submit')}
              </Button>
            </Card>
          ) : !done ? (
            // Not (or no longer) open for rating: say so in the page's words, in large text too.
            <Card testId="rate-not-open">
              <p className="m-muted" style={{ margin: 0 }}>
                {t('resident.rate.notOpen')}
              </p>
            </Card>
          ) : null
        }
      </Loaded>
      <Loaded query={rounds}>
        {(list) => (
          <>
            {list
              .filter((r) => r.status === 'closed')
              .map((r) => (
                <Card key={r.id} title={`${t('resident.rate.title')} · ${r.round}`}>
                  <div>
                    {r.outcomeName} · {percent(r.rate)}
                  </div>
                  <div className="m-muted">
                    {t('resident.rate.satisfied')} {r.satisfied ?? 0} · {t('resident.rate.basicallySatisfied')}{' '}
                    {r.basicallySatisfied ?? 0} · {t('resident.rate.dissatisfied')} {r.dissatisfied ?? 0}
                  </div>
                  {r.comments.map((c, i) => (
                    <p key={i} className="m-muted">
                      “{c.comment}”（{c.choiceName}）
                    </p>
                  ))}
                </Card>
              ))}
          </>
        )}
      </Loaded>
    </>
  );
}
