// 会议纪要: where a resident representative who sat in a meeting reads its minutes and signs them off (the
// "minutesReady" notification leads here). Plain elements: the question before signing is a step on the page.
import { useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime } from '../../shared/format';
import { useWrite } from '../../shared/useWrite';
import { meetingKeys } from '../../shared/queryKeys';
import { residentApi, useMeetingMinutes, useResidentMeeting, type MinutesVersion } from '../residentApi';
import { Card, Empty, Loaded } from '../ui';

export function MinutesPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const meeting = useResidentMeeting(id);
  const versions = useMeetingMinutes(id);
  return (
    <>
      <Loaded query={meeting}>
        {(m) => (
          <Card title={t('resident.minutes.title')} testId="minutes-meeting">
            <h3>{m.title}</h3>
            <div>
              {t('resident.meeting.when')}：{formatDateTime(m.startsAt)}
            </div>
            <div>
              {t('resident.meeting.where')}：{m.place || t('resident.meeting.placeTbd')}
            </div>
          </Card>
        )}
      </Loaded>
      <Loaded query={versions}>
        {(list) => {
          const latest = [...list].sort((a, b) => b.version - a.version)[0];
          return latest ? (
            <Latest meetingId={id} version={latest} />
          ) : (
            <Card>
              <Empty>{t('resident.minutes.none')}</Empty>
            </Card>
          );
        }}
      </Loaded>
    </>
  );
}

function Latest({ meetingId, version: v }: { meetingId: string; version: MinutesVersion }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const [asking, setAsking] = useState(false);
  const { run, busy, error } = useWrite(() => residentApi.signMinutes(meetingId, v.version), {
    invalidate: [meetingKeys.minutes(meetingId)],
    onSuccess: () => setAsking(false),
  });
  const signedBy = (userId: string) => v.signOffs.find((s) => s.userId === userId);
  const mustSign = !!me && v.requiredSigners.some((s) => s.userId === me.id) && !signedBy(me.id);
  const mine = me ? signedBy(me.id) : undefined;
  return (
    <Card title={t('resident.minutes.version', { n: v.version })} testId="minutes-latest">
      <div className="m-muted">
        {formatDateTime(v.createdAt)} · {v.createdBy}
      </div>
      {v.reason && <div className="m-muted">{t('resident.minutes.reason', { reason: v.reason })}</div>}
      <p>
        <a
          href={residentApi.minutesPdf(meetingId, v.version)}
          target="_blank"
          rel="noreferrer"
          data-testid="minutes-pdf"
        >
          {t('resident.minutes.open')}
        </a>
      </p>
      <div className="m-muted">
        {t('resident.minutes.hash')}
        <code data-testid="minutes-hash" title={v.sha256}>
          SHA-256 {v.sha256.slice(0, 12)}…
        </code>
      </div>
      <h3 style={{ marginTop: 12 }}>{t('resident.minutes.signers')}</h3>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="minutes-signers">
        {v.requiredSigners.map((s) => {
          const signed = signedBy(s.userId);
          return (
            <li key={s.userId} className="m-row" data-testid={signed ? 'signer-signed' : 'signer-waiting'}>
              <span>{s.name}</span>{' '}
              {signed ? (
                <span className="m-tag green">
                  {t('resident.minutes.signedAt', { at: formatDateTime(signed.signedAt) })}
                </span>
              ) : (
                <span className="m-tag grey">{t('resident.minutes.notSigned')}</span>
              )}
            </li>
          );
        })}
      </ul>
      {v.signedByAll && <p data-testid="minutes-all-signed">{t('resident.minutes.allSigned')}</p>}
      {mine && !v.signedByAll && <p data-testid="minutes-you-signed">{t('resident.minutes.youSigned')}</p>}
      {mustSign &&
        (asking ? (
          <div style={{ marginTop: 12 }} role="alertdialog" aria-labelledby="sign-question" data-testid="sign-confirm">
            <h3 id="sign-question">{t('resident.minutes.confirmTitle', { n: v.version })}</h3>
            <p>
              {t('resident.minutes.confirmWhat')}
              {t('common.cannotUndo')}
            </p>
            <button
              type="button"
              className="m-button primary m-block"
              disabled={busy}
              data-testid="confirm-ok"
              onClick={() => void run()}
            >
              {t('resident.minutes.sign')}
            </button>
            <button
              type="button"
              className="m-button m-block"
              style={{ marginTop: 8 }}
              disabled={busy}
              data-testid="confirm-cancel"
              onClick={() => setAsking(false)}
            >
              {t('common.confirmCancel')}
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="m-button primary m-block"
            style={{ marginTop: 12 }}
            data-testid="minutes-sign"
            onClick={() => setAsking(true)}
          >
            {t('resident.minutes.sign')}
          </button>
        ))}
      {error && (
        <div className="m-error" role="alert">
          {error}
        </div>
      )}
    </Card>
  );
}
