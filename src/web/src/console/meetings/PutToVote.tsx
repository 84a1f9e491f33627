// A members' vote on a motion in session: the rule of the body that meets, open for a set time.
import { Button, Form, InputNumber, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ballotsApi } from '../consoleApi';
import type { AgendaItem, Meeting, Motion } from './types';
import { useMeetingAction } from './useMeetingAction';

// A meeting's votes count by its body's rule and no other, so the server takes it from the meeting: shown, not chosen.
// A four-party joint meeting takes no vote (its motions are not votable).
const RULE_OF: Record<string, string> = {
  ownersCommittee: 'owners-committee',
  residentsMeeting: 'residents-meeting',
  representativesMeeting: 'representatives-meeting',
};

export function PutToVote({
  meeting,
  item,
  motion,
  onClose,
}: {
  meeting: Meeting;
  item: AgendaItem;
  motion: Motion;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const submit = async (v: { minutes: number; secret: boolean }) => {
    const closesAt = new Date(Date.now() + v.minutes * 60_000).toISOString();
    const ok = await run(
      'vote',
      () =>
        ballotsApi.create({
          title: motion.text,
          meetingId: meeting.id,
          agendaItemId: item.id,
          motionId: motion.id,
          matterId: item.matterId,
          secret: v.secret,
          closesAt,
        }),
      t('console.meetings.voteOpened'),
    );
    if (ok) onClose();
  };
  return (
    <Modal
      open
      title={`${t('console.meetings.putToVote')}：${motion.text}`}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      <Form layout="vertical" onFinish={submit} initialValues={{ minutes: 30, secret: false }}>
        <Form.Item label={t('console.ballots.rule')}>
          <Typography.Text data-testid="vote-rule">
            {RULE_OF[meeting.type] ? t(`console.rules.${RULE_OF[meeting.type]}`) : '—'}
          </Typography.Text>
        </Form.Item>
        <Form.Item name="minutes" label={t('console.meetings.voteMinutes')}>
          <InputNumber min={1} max={600} />
        </Form.Item>
        <Form.Item name="secret" label={t('console.ballots.secret')}>
          <Select
            options={[
              { value: false, label: t('common.no') },
              { value: true, label: t('common.yes') },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy === 'vote'}>
          {t('console.meetings.putToVote')}
        </Button>
      </Form>
    </Modal>
  );
}
