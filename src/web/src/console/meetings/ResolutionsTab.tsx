// 议定事项: what the meeting decided, each with its responsible unit and deadline; they become work items.
import { Button, Card, Form, Input, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { formatDate } from '../../shared/format';
import type { Meeting, Resolution } from './types';
import { useMeetingAction } from './useMeetingAction';

export function ResolutionsTab({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const [form] = Form.useForm();
  const itemTitle = (id?: string | null) => meeting.agenda.find((a) => a.id === id)?.title ?? '—';
  return (
    <>
      <Table<Resolution> rowKey="id" size="small" pagination={false} dataSource={meeting.resolutions} data-testid="resolutions"
        locale={{ emptyText: t('console.meetings.noResolutions') }}
        columns={[
          { title: t('console.meetings.resolution'), dataIndex: 'text' },
          { title: t('console.meetings.item'), render: (_, r) => itemTitle(r.agendaItemId) },
          { title: t('console.meetings.responsibleUnit'), dataIndex: 'responsibleUnit' },
          { title: t('console.meetings.deadline'), render: (_, r) => formatDate(r.deadline) },
        ]} />
      {meeting.canManage && meeting.state === 'inSession' && (
        <Card size="small" title={t('console.meetings.addResolution')} style={{ marginTop: 12 }}>
          <Form form={form} layout="vertical" initialValues={{ agendaItemId: meeting.agenda[0]?.id, responsibleUnit: '物业公司' }}
            onFinish={async (v) => { if (await run('resolution', () => api.post(`/api/meetings/${meeting.id}/resolutions`, v))) form.resetFields(['text']); }}>
            <Form.Item name="agendaItemId" label={t('console.meetings.item')}>
              <Select options={meeting.agenda.map((a) => ({ value: a.id, label: a.title }))} />
            </Form.Item>
            <Form.Item name="text" label={t('console.meetings.resolution')} rules={[{ required: true }]}><Input.TextArea rows={2} data-testid="resolution-text" /></Form.Item>
            <Form.Item name="responsibleUnit" label={t('console.meetings.responsibleUnit')} rules={[{ required: true }]}><Input data-testid="resolution-unit" /></Form.Item>
            <Form.Item name="deadline" label={t('console.meetings.deadline')} rules={[{ required: true }]}><Input type="date" data-testid="resolution-deadline" /></Form.Item>
            <Button htmlType="submit" type="primary" loading={busy === 'resolution'} data-testid="resolution-add">{t('console.meetings.addResolution')}</Button>
          </Form>
        </Card>
      )}
    </>
  );
}
