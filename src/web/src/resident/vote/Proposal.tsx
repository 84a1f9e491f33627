// What the owner votes on: the proposal as announced (text, why, cost, who proposed it), and one tap away the meeting that
// discussed it — each party's opinion, the motions and what became of them, the resolutions.
import { useState } from 'react';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../shared/format';
import type { Ballot } from '../../shared/types';
import { useDeliberation } from '../residentApi';
import { Loaded } from '../ui';

export function Proposal({ ballot }: { ballot: Ballot }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const deliberation = useDeliberation(ballot.id, open);
  const p = ballot.proposal;
  const hasMeeting = !!(p?.motionId || ballot.agendaItemId || ballot.matterId);
  return (
    <>
      {p && (
        <div className="m-proposal" data-testid="ballot-proposal">
          <div className="m-muted">{t('resident.ballot.proposal')}</div>
          <p className="m-proposal-text" data-testid="proposal-text">
            {p.text}
          </p>
          {p.reason && <p data-testid="proposal-reason">{t('resident.ballot.reason', { reason: p.reason })}</p>}
          {p.cost != null && (
            <p data-testid="proposal-cost">
              {t('resident.ballot.cost', { amount: Number(p.cost).toLocaleString('zh-CN') })}
            </p>
          )}
          {p.proposedBy && (
            <p className="m-muted" data-testid="proposal-by">
              {t('resident.ballot.proposedBy', { name: p.proposedBy })}
            </p>
          )}
        </div>
      )}
      {hasMeeting && (
        <Button
          block
          style={{ marginTop: 10 }}
          aria-expanded={open}
          onClick={() => setOpen(!open)}
          data-testid="show-deliberation"
        >
          {open ? t('resident.ballot.hideDeliberation') : t('resident.ballot.showDeliberation')}
        </Button>
      )}
      {open && (
        <Loaded query={deliberation}>
          {(d) => (
            <div className="m-deliberation" data-testid="deliberation">
              <div className="m-muted">
                {t('resident.ballot.deliberationTitle', { meeting: d.meetingTitle, date: formatDate(d.startsAt) })}
              </div>
              {d.opinions.length > 0 && <h4>{t('resident.ballot.opinions')}</h4>}
              {d.opinions.map((o) => (
                <p key={o.id} data-testid="deliberation-opinion">
                  <b>
                    {o.partyName}
                    {o.speaker ? `（${o.speaker}）` : ''}：
                  </b>
                  {o.text}
                </p>
              ))}
              {d.motions.length > 0 && <h4>{t('resident.ballot.motions')}</h4>}
              {d.motions.map((m) => (
                <p key={m.id} data-testid="deliberation-motion">
                  {t('resident.ballot.motionFate', { text: m.text, name: m.proposedBy, fate: m.fateName })}
                </p>
              ))}
              {d.resolutions.length > 0 && <h4>{t('resident.ballot.resolutions')}</h4>}
              {d.resolutions.map((r) => (
                <p key={r}>{r}</p>
              ))}
            </div>
          )}
        </Loaded>
      )}
    </>
  );
}
