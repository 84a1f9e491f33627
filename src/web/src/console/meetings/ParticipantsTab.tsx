// 参会人员 by party, with attendance (出席 / 列席 / 请假 / 缺席) recorded as the meeting runs.
import { Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { meetingsApi } from '../consoleApi';
import { TABLE_SCROLL } from '../ui';
import { ATTENDANCE, PARTIES, type Meeting, type Participant } from './types';
import { useMeetingAction } from './useMeetingAction';

export function ParticipantsTab({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const [form] = Form.useForm();
  const canList = meeting.canManage && (meeting.state === 'draft' || meeting.state === 'convened');
  const canAttend = meeting.canManage && (meeting.state === 'convened' || meeting.state === 'inSession');
  const everyone = meeting.parties.flatMap((p) => p.participants);
  const attend = (entries: { participantId: string; attendance: string }[]) =>
    run('attendance', () => meetingsApi.recordAttendance(meeting.id, entries), t('console.meetings.attendanceSaved'));

  return (
    <>
      {canAttend && (
        <Space style={{ marginBottom: 12 }}>
          <Button
            onClick={() =>
              attend(
                everyone
                  .filter((p) => p.attendance === 'unrecorded')
                  .map((p) => ({ participantId: p.id, attendance: p.role === 'member' ? 'present' : 'inAttendance' })),
              )
            }
            loading={busy === 'attendance'}
            data-testid="attendance-all"
          >
            {t('console.meetings.allPresent')}
          </Button>
        </Space>
      )}
      <Table<Participant>
        scroll={TABLE_SCROLL}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={everyone}
        data-testid="participants"
        columns={[
          { title: t('console.meetings.party'), dataIndex: 'partyName' },
          { title: t('console.meetings.name'), dataIndex: 'name' },
          { title: t('console.meetings.role'), render: (_, p) => <Tag>{t(`console.meetings.roles.${p.role}`)}</Tag> },
          {
            title: t('console.meetings.attendance'),
            render: (_, p) =>
              canAttend ? (
                <Select
                  size="small"
                  style={{ width: 110 }}
                  value={p.attendance === 'unrecorded' ? undefined : p.attendance}
                  placeholder={p.attendanceName}
                  onChange={(v) => attend([{ participantId: p.id, attendance: v }])}
                  options={ATTENDANCE.map((a) => ({ value: a, label: t(`console.meetings.attendances.${a}`) }))}
                />
              ) : (
                p.attendanceName
              ),
          },
          ...(canList
            ? [
                {
                  title: '',
                  render: (_: unknown, p: Participant) => (
                    <Button
                      size="small"
                      type="link"
                      danger
                      onClick={() =>
                        run('remove', () => meetingsApi.removeParticipant(meeting.id, p.id), undefined, {
                          title: t('console.meetings.removeConfirm', { name: p.name }),
                          content: t('console.meetings.removeWhat', { name: p.name }),
                          danger: true,
                        })
                      }
                    >
                      {t('console.remove')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canList && (
        <Card size="small" title={t('console.meetings.invite')} style={{ marginTop: 12 }}>
          <Form
            form={form}
            layout="inline"
            initialValues={{ party: 'residentRepresentatives', role: 'member' }}
            onFinish={async (v) => {
              if (await run('add', () => meetingsApi.addParticipant(meeting.id, v))) form.resetFields(['name']);
            }}
          >
            <Form.Item name="party">
              <Select
                style={{ width: 140 }}
                options={PARTIES.map((p) => ({ value: p, label: t(`console.party.${p}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="name"
              rules={[{ required: true }]}
              messageVariables={{ label: t('console.meetings.name') }}
            >
              <Input placeholder={t('console.meetings.name')} />
            </Form.Item>
            <Form.Item name="role">
              <Select
                style={{ width: 120 }}
                options={['member', 'invitee'].map((r) => ({ value: r, label: t(`console.meetings.roles.${r}`) }))}
              />
            </Form.Item>
            <Button htmlType="submit" loading={busy === 'add'}>
              {t('console.add')}
            </Button>
          </Form>
        </Card>
      )}
    </>
  );
}
