// 议定事项: what the meeting decided, each with its responsible unit and deadline; they become work items. A four-party
// meeting's are consultative: each party's position and whether consensus was reached.
import { Button, Card, Form, Input, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { meetingsApi } from '../consoleApi';
import { TABLE_SCROLL } from '../ui';
import { formatDate } from '../../shared/format';
import type { Meeting, Resolution } from './types';
import { useMeetingAction } from './useMeetingAction';

export function ResolutionsTab({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const [form] = Form.useForm();
  const itemTitle = (id?: string | null) => meeting.agenda.find((a) => a.id === id)?.title ?? '—';
  const fourParty = meeting.type === 'fourParty';
  const memberParties = meeting.parties.filter((p) => p.participants.some((x) => x.role === 'member'));
  // The form keeps one position field per party; the API takes them as a list, with the consensus.
  const submit = (v: Record<string, string | undefined>) => {
    const { consensus, outstanding, ...rest } = v;
    const positions = fourParty
      ? memberParties
          .filter((p) => rest[`position_${p.party}`])
          .map((p) => ({ party: p.party, position: rest[`position_${p.party}`] }))
      : undefined;
    const body = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('position_')));
    return meetingsApi.addResolution(
      meeting.id,
      fourParty && consensus
        ? {
            ...body,
            positions,
            consensus: consensus === 'yes',
            outstanding: consensus === 'no' ? outstanding : undefined,
          }
        : body,
    );
  };
  return (
    <>
      <Table<Resolution>
        scroll={TABLE_SCROLL}
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={meeting.resolutions}
        data-testid="resolutions"
        locale={{ emptyText: t('console.meetings.noResolutions') }}
        columns={[
          { title: t('console.meetings.resolution'), dataIndex: 'text' },
          { title: t('console.meetings.item'), render: (_, r) => itemTitle(r.agendaItemId) },
          { title: t('console.meetings.responsibleUnit'), dataIndex: 'responsibleUnit' },
          { title: t('console.meetings.deadline'), render: (_, r) => formatDate(r.deadline) },
          ...(fourParty
            ? [
                {
                  title: t('console.meetings.consensus'),
                  key: 'consensus',
                  render: (_: unknown, r: Resolution) => (
                    <div data-testid="resolution-consensus">
                      {r.consensusName ?? '—'}
                      {r.outstanding ? `：${r.outstanding}` : ''}
                      {r.positions.map((p) => (
                        <div key={p.party} className="m-muted">
                          {p.partyName}：{p.positionName}
                          {p.remark ? `（${p.remark}）` : ''}
                        </div>
                      ))}
                    </div>
                  ),
                },
              ]
            : []),
        ]}
      />
      {meeting.canManage && meeting.state === 'inSession' && (
        <Card size="small" title={t('console.meetings.addResolution')} style={{ marginTop: 12 }}>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ agendaItemId: meeting.agenda[0]?.id, responsibleUnit: '物业公司' }}
            onFinish={async (v) => {
              if (await run('resolution', () => submit(v))) form.resetFields(['text']);
            }}
          >
            <Form.Item name="agendaItemId" label={t('console.meetings.item')}>
              <Select options={meeting.agenda.map((a) => ({ value: a.id, label: a.title }))} />
            </Form.Item>
            <Form.Item name="text" label={t('console.meetings.resolution')} rules={[{ required: true }]}>
              <Input.TextArea rows={2} data-testid="resolution-text" />
            </Form.Item>
            <Form.Item
              name="responsibleUnit"
              label={t('console.meetings.responsibleUnit')}
              rules={[{ required: true }]}
            >
              <Input data-testid="resolution-unit" />
            </Form.Item>
            <Form.Item name="deadline" label={t('console.meetings.deadline')} rules={[{ required: true }]}>
              <Input type="date" data-testid="resolution-deadline" />
            </Form.Item>
            {fourParty &&
              memberParties.map((p) => (
                <Form.Item key={p.party} name={`position_${p.party}`} label={p.partyName}>
                  <Select
                    allowClear
                    data-testid={`resolution-position-${p.party}`}
                    options={(['agree', 'disagree', 'reserve'] as const).map((x) => ({
                      value: x,
                      label: t(`console.meetings.position.${x}`),
                    }))}
                  />
                </Form.Item>
              ))}
            {fourParty && (
              <Form.Item name="consensus" label={t('console.meetings.consensus')}>
                <Select
                  allowClear
                  data-testid="resolution-consensus-select"
                  options={[
                    { value: 'yes', label: t('console.meetings.consensusYes') },
                    { value: 'no', label: t('console.meetings.consensusNo') },
                  ]}
                />
              </Form.Item>
            )}
            {fourParty && (
              <Form.Item name="outstanding" label={t('console.meetings.outstanding')}>
                <Input.TextArea rows={2} />
              </Form.Item>
            )}
            <Button htmlType="submit" type="primary" loading={busy === 'resolution'} data-testid="resolution-add">
              {t('console.meetings.addResolution')}
            </Button>
          </Form>
        </Card>
      )}
    </>
  );
}
