// 会议: the meetings the person may see, newest first; organisers create new ones.
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Form, Input, Modal, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime } from '../../shared/format';
import { useWrite } from '../../shared/useWrite';
import { MEETING_ORGANISERS } from '../access';
import { meetingsApi, useMeetings, useOrg } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';
import { MEETING_TYPES, type MeetingSummary } from './types';
import { toIso, localInputValue } from './time';

export const STATE_COLOURS: Record<string, string> = {
  draft: 'default',
  convened: 'blue',
  inSession: 'orange',
  closed: 'green',
  minutesApproved: 'purple',
  cancelled: 'red',
};

export function MeetingsPage() {
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const [creating, setCreating] = useState(false);
  const meetings = useMeetings();
  return (
    <>
      <PageTitle
        extra={
          hasRole(...MEETING_ORGANISERS) && (
            <Button type="primary" onClick={() => setCreating(true)} data-testid="meeting-new">
              {t('console.meetings.new')}
            </Button>
          )
        }
      >
        {t('console.menu.meetings')}
      </PageTitle>
      <Loaded query={meetings}>
        {(page) => (
          <Table<MeetingSummary>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={page.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="meetings"
            columns={[
              {
                title: t('console.meetings.title'),
                render: (_, m) => (
                  <Link to={`/console/meetings/${m.id}`} data-testid="meeting-link">
                    {m.title}
                  </Link>
                ),
              },
              { title: t('console.meetings.type'), dataIndex: 'typeName' },
              { title: t('console.meetings.startsAt'), render: (_, m) => formatDateTime(m.startsAt) },
              { title: t('console.meetings.place'), dataIndex: 'place' },
              { title: t('console.meetings.agenda'), dataIndex: 'agendaItems' },
              {
                title: t('console.meetings.state'),
                render: (_, m) => <Tag color={STATE_COLOURS[m.state]}>{m.stateName}</Tag>,
              },
            ]}
          />
        )}
      </Loaded>
      {creating && <CreateMeeting onClose={() => setCreating(false)} />}
    </>
  );
}

function CreateMeeting({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const communities = (useOrg().data ?? []).filter((n) => n.level === 'community');
  const [form] = Form.useForm();
  useEffect(() => {
    if (!form.getFieldValue('orgUnitId') && communities[0]) form.setFieldValue('orgUnitId', communities[0].id);
  }, [communities, form]);
  const {
    run: create,
    busy,
    error,
  } = useWrite(
    (values: {
      type: string;
      orgUnitId: string;
      title: string;
      place: string;
      startsAt: string;
      chairName?: string;
      recorderName?: string;
    }) => meetingsApi.create({ ...values, startsAt: toIso(values.startsAt) }),
    { onSuccess: (meeting) => navigate(`/console/meetings/${meeting.id}`) },
  );
  const [inAnHour] = useState(() => localInputValue(new Date(Date.now() + 3_600_000))); // once, when the form opens
  return (
    <Modal open title={t('console.meetings.new')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={create} initialValues={{ type: 'fourParty', startsAt: inAnHour }}>
        <Form.Item name="type" label={t('console.meetings.type')} rules={[{ required: true }]}>
          <Select options={MEETING_TYPES.map((v) => ({ value: v, label: t(`console.meetings.types.${v}`) }))} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={t('console.meetings.community')} rules={[{ required: true }]}>
          <Select options={communities.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="title" label={t('console.meetings.title')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="place" label={t('console.meetings.place')}>
          <Input />
        </Form.Item>
        <Form.Item name="startsAt" label={t('console.meetings.startsAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="chairName" label={t('console.meetings.chair')}>
          <Input />
        </Form.Item>
        <Form.Item name="recorderName" label={t('console.meetings.recorder')}>
          <Input />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('console.meetings.create')}
        </Button>
      </Form>
    </Modal>
  );
}
