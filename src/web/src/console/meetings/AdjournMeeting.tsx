// 休会改期: a session without its quorum can discuss but not decide, so it is adjourned to a new time. Shown on an
// in-session meeting; prominent, with who came, when the quorum is not met. The server notifies the invited.
import { useState } from 'react';
import { Alert, Button, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { meetingsApi } from '../consoleApi';
import { localInputValue, toIso } from './time';
import type { Meeting } from './types';
import { useMeetingAction } from './useMeetingAction';

export function AdjournMeeting({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const inquorate = meeting.quorum.met === false;
  const [picking, setPicking] = useState(inquorate);
  const [startsAt, setStartsAt] = useState(() => localInputValue(new Date(Date.now() + 7 * 24 * 3600 * 1000)));
  if (meeting.state !== 'inSession' || !meeting.canManage) return null;
  const present = meeting.parties.flatMap((p) =>
    p.participants
      .filter((x) => x.role === 'member' && x.attendance === 'present')
      .map((x) => `${x.name}（${p.partyName}）`),
  );
  const adjourn = () =>
    run('adjourn', () => meetingsApi.adjourn(meeting.id, toIso(startsAt)), t('console.meetings.did.adjourn'), {
      title: t('console.meetings.adjournConfirm'),
      content: t('console.meetings.adjournWhat', {
        at: formatDateTime(toIso(startsAt)),
        count: meeting.parties.reduce((n, p) => n + p.participants.length, 0),
      }),
    });
  const picker = (
    <Space wrap>
      <Input
        type="datetime-local"
        value={startsAt}
        onChange={(e) => setStartsAt(e.target.value)}
        aria-label={t('console.meetings.adjournTo')}
        data-testid="adjourn-time"
        style={{ width: 220 }}
      />
      <Button
        type="primary"
        danger={inquorate}
        loading={busy === 'adjourn'}
        disabled={!startsAt}
        onClick={adjourn}
        data-testid="meeting-adjourn"
      >
        {t('console.meetings.adjourn')}
      </Button>
    </Space>
  );
  if (inquorate)
    return (
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        data-testid="quorum-not-met"
        message={t('console.meetings.inquorate', {
          counted: meeting.quorum.counted,
          of: meeting.quorum.of,
          required: meeting.quorum.required ?? 0,
        })}
        description={
          <Space direction="vertical" style={{ width: '100%' }}>
            <span data-testid="present-members">
              {t('console.meetings.whoCame', {
                names: present.length ? present.join('、') : t('console.meetings.nobody'),
              })}
            </span>
            <span>{t('console.meetings.inquorateHint')}</span>
            {picker}
          </Space>
        }
      />
    );
  return (
    <div style={{ marginBottom: 16 }}>
      {picking ? (
        picker
      ) : (
        <Button onClick={() => setPicking(true)} data-testid="meeting-adjourn-start">
          {t('console.meetings.adjourn')}
        </Button>
      )}
    </div>
  );
}
