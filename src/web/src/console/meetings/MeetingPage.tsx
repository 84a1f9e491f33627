// One meeting from draft to minutes: the header and its next step, then participants, agenda, resolutions,
// ballots and minutes. Each change goes to the server, whose guards say what may happen when.
import { useState } from 'react';
import { useParams } from 'react-router';
import { Button, Card, Descriptions, Form, Input, Modal, Space, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { meetingsApi, useMeeting } from '../consoleApi';
import { Loaded, PageTitle } from '../ui';
import { STATE_COLOURS } from './MeetingsPage';
import { ParticipantsTab } from './ParticipantsTab';
import { AgendaTab } from './AgendaTab';
import { ResolutionsTab } from './ResolutionsTab';
import { MeetingBallots } from './MeetingBallots';
import { MinutesTab } from './MinutesTab';
import { AdjournMeeting } from './AdjournMeeting';
import { localInputValue, toIso } from './time';
import type { Meeting } from './types';
import { useMeetingAction } from './useMeetingAction';

export function MeetingPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const meeting = useMeeting(id);
  return (
    <Loaded query={meeting}>
      {(m) => (
        <>
          <PageTitle
            extra={
              <Space>
                <Tag color={STATE_COLOURS[m.state]} data-testid="meeting-state">
                  {m.stateName}
                </Tag>
                {m.canManage && <NextStep meeting={m} />}
              </Space>
            }
          >
            {m.title}
          </PageTitle>
          <Card style={{ marginBottom: 16 }}>
            <Descriptions
              size="small"
              column={3}
              items={[
                { key: 'type', label: t('console.meetings.type'), children: `${m.typeName} · ${m.formName}` },
                { key: 'time', label: t('console.meetings.startsAt'), children: formatDateTime(m.startsAt) },
                { key: 'place', label: t('console.meetings.place'), children: m.place || '—' },
                { key: 'chair', label: t('console.meetings.chair'), children: m.chairName || '—' },
                { key: 'recorder', label: t('console.meetings.recorder'), children: m.recorderName || '—' },
                {
                  key: 'count',
                  label: t('console.meetings.expectedPresent'),
                  children: `${m.expected} / ${m.present}`,
                },
                {
                  key: 'quorum',
                  label: t('console.meetings.quorum'),
                  span: 3,
                  children: (
                    <span data-testid="meeting-quorum">
                      {m.quorum.description}
                      {m.quorum.met !== null && m.quorum.met !== undefined && (
                        <Tag style={{ marginLeft: 8 }} color={m.quorum.met ? 'green' : 'red'}>
                          {t(m.quorum.met ? 'console.meetings.quorumMet' : 'console.meetings.quorumNotMet')}
                        </Tag>
                      )}
                    </span>
                  ),
                },
              ]}
            />
          </Card>
          <AdjournMeeting meeting={m} />
          <Tabs
            defaultActiveKey={
              m.state === 'closed' || m.state === 'minutesApproved'
                ? 'minutes'
                : m.state === 'inSession'
                  ? 'agenda'
                  : 'participants'
            }
            items={[
              {
                key: 'participants',
                label: t('console.meetings.participants'),
                children: <ParticipantsTab meeting={m} />,
              },
              { key: 'agenda', label: t('console.meetings.agenda'), children: <AgendaTab meeting={m} /> },
              {
                key: 'resolutions',
                label: t('console.meetings.resolutions'),
                children: <ResolutionsTab meeting={m} />,
              },
              { key: 'ballots', label: t('console.meetings.ballots'), children: <MeetingBallots meeting={m} /> },
              { key: 'minutes', label: t('console.meetings.minutes'), children: <MinutesTab meeting={m} /> },
            ]}
          />
        </>
      )}
    </Loaded>
  );
}

/** The one thing the meeting waits for next: edit and send the notice, open, close, approve the minutes. */
function NextStep({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const [editing, setEditing] = useState(false);
  const post = (action: string) => () =>
    run(action, () => meetingsApi.step(meeting.id, action), t(`console.meetings.did.${action}`));
  return (
    <>
      {meeting.state === 'draft' && (
        <Button onClick={() => setEditing(true)} data-testid="meeting-edit">
          {t('console.meetings.edit')}
        </Button>
      )}
      {meeting.state === 'draft' && (
        <Button type="primary" loading={busy === 'convene'} onClick={post('convene')} data-testid="meeting-convene">
          {t('console.meetings.convene')}
        </Button>
      )}
      {meeting.state === 'convened' && (
        <Button type="primary" loading={busy === 'open'} onClick={post('open')} data-testid="meeting-open">
          {t('console.meetings.open')}
        </Button>
      )}
      {meeting.state === 'inSession' && (
        <Button type="primary" danger loading={busy === 'close'} onClick={post('close')} data-testid="meeting-close">
          {t('console.meetings.close')}
        </Button>
      )}
      {editing && <EditMeeting meeting={meeting} onClose={() => setEditing(false)} />}
    </>
  );
}

function EditMeeting({ meeting, onClose }: { meeting: Meeting; onClose: () => void }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const save = async (values: {
    title: string;
    place: string;
    startsAt: string;
    chairName?: string;
    recorderName?: string;
  }) => {
    const ok = await run(
      'edit',
      () =>
        meetingsApi.update(meeting.id, {
          ...values,
          startsAt: toIso(values.startsAt),
          chairUserId: meeting.chairUserId,
          recorderUserId: meeting.recorderUserId,
        }),
      t('console.saved'),
    );
    if (ok) onClose();
  };
  return (
    <Modal open title={t('console.meetings.edit')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form
        layout="vertical"
        onFinish={save}
        initialValues={{
          title: meeting.title,
          place: meeting.place,
          startsAt: localInputValue(new Date(meeting.startsAt)),
          chairName: meeting.chairName ?? '',
          recorderName: meeting.recorderName ?? '',
        }}
      >
        <Form.Item name="title" label={t('console.meetings.title')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="place" label={t('console.meetings.place')}>
          <Input data-testid="meeting-place" />
        </Form.Item>
        <Form.Item name="startsAt" label={t('console.meetings.startsAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" data-testid="meeting-starts" />
        </Form.Item>
        <Form.Item name="chairName" label={t('console.meetings.chair')}>
          <Input />
        </Form.Item>
        <Form.Item name="recorderName" label={t('console.meetings.recorder')}>
          <Input data-testid="meeting-recorder" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy === 'edit'} data-testid="meeting-save">
          {t('console.save')}
        </Button>
      </Form>
    </Modal>
  );
}
