// A members' vote on a motion in session: the rule of the body that meets, open for a set time.
import { Button, Form, InputNumber, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { AgendaItem, Meeting, Motion } from './types';
import { useMeetingAction } from './useMeetingAction';

// 业委会 and the residents' bodies have their own legal rules; a joint meeting decides by a majority of those present.
const RULE_OF: Record<string, string> = {
  ownersCommittee: 'owners-committee', residentsMeeting: 'residents-meeting', representativesMeeting: 'representatives-meeting', fourParty: 'residents-meeting',
};
const MEMBER_RULES = ['owners-committee', 'residents-meeting', 'representatives-meeting'];

export function PutToVote({ meeting, item, motion, onClose }: { meeting: Meeting; item: AgendaItem; motion: Motion; onClose: () => void }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const submit = async (v: { rule: string; minutes: number; secret: boolean }) => {
    const closesAt = new Date(Date.now() + v.minutes * 60_000).toISOString();
    const ok = await run('vote', () => api.post('/api/ballots', {
      title: motion.text, rule: v.rule, meetingId: meeting.id, agendaItemId: item.id, motionId: motion.id, matterId: item.matterId, secret: v.secret, closesAt,
    }), t('console.meetings.voteOpened'));
    if (ok) onClose();
  };
  return (
    <Modal open title={`${t('console.meetings.putToVote')}：${motion.text}`} onCancel={onClose} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={submit} initialValues={{ rule: RULE_OF[meeting.type] ?? 'residents-meeting', minutes: 30, secret: false }}>
        <Form.Item name="rule" label={t('console.ballots.rule')}>
          <Select options={MEMBER_RULES.map((r) => ({ value: r, label: t(`console.rules.${r}`) }))} />
        </Form.Item>
        <Form.Item name="minutes" label={t('console.meetings.voteMinutes')}><InputNumber min={1} max={600} /></Form.Item>
        <Form.Item name="secret" label={t('console.ballots.secret')}>
          <Select options={[{ value: false, label: t('common.no') }, { value: true, label: t('common.yes') }]} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy === 'vote'}>{t('console.meetings.putToVote')}</Button>
      </Form>
    </Modal>
  );
}
