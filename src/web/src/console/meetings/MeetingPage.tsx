// One meeting from draft to minutes: the header and its next step, then participants, agenda, resolutions,
// ballots and minutes. Each change goes to the server, whose guards say what may happen when.
import { useState } from 'react';
import { useParams } from 'react-router';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Space, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { formatSitting } from '../../shared/sitting';
import { meetingsApi, useMeeting } from '../consoleApi';
import { DESCRIPTION_COLUMNS, Loaded, PageTitle } from '../ui';
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
import type { ConfirmOptions } from '../../shared/confirm';

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
              column={DESCRIPTION_COLUMNS}
              items={[
                { key: 'type', label: t('console.meetings.type'), children: `${m.typeName} · ${m.formName}` },
                // A held meeting is shown by when it sat (it may open early); the called-for time stays beside it.
                { key: 'time', label: t('console.meetings.startsAt'), children: formatDateTime(m.startsAt) },
                ...(m.openedAt
                  ? [{ key: 'sat', label: t('console.meetings.sat'), children: formatSitting(m.openedAt, m.closedAt) }]
                  : []),
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
                  span: DESCRIPTION_COLUMNS,
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
                ...(m.notices.length > 0
                  ? [
                      {
                        key: 'notices',
                        label: t('console.meetings.noticeRecord'),
                        span: DESCRIPTION_COLUMNS,
                        children: (
                          <Space direction="vertical" size={0} data-testid="meeting-notices">
                            {m.notices.map((n) => (
                              <span key={`${n.kind}-${n.at}`}>
                                {formatDateTime(n.at)} {n.kindName}：{formatDateTime(n.startsAt)}
                                {n.place ? ` · ${n.place}` : ''}
                                {n.reason ? `（${n.reason}）` : ''}
                              </span>
                            ))}
                          </Space>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          </Card>
          {m.state === 'cancelled' && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="meeting-cancelled"
              message={t('console.meetings.cancelledBecause', { reason: m.cancelReason ?? '' })}
            />
          )}
          {m.canManage && <TooEarly meeting={m} />}
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

/** The one thing the meeting waits for next: edit and send the notice, open, close, approve the minutes; and reschedule or cancel. */
export function NextStep({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const [editing, setEditing] = useState(false);
  const [moving, setMoving] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const post = (action: string, ask?: ConfirmOptions) => () =>
    run(action, () => meetingsApi.step(meeting.id, action), t(`console.meetings.did.${action}`), ask);
  // The notice reaches everyone invited and cannot be withdrawn; opening cannot be stepped back: ask first.
  const invited = meeting.parties.reduce((n, p) => n + p.participants.length, 0);
  const convene = post('convene', {
    title: t('console.meetings.conveneConfirm'),
    content: t('console.meetings.conveneWhat', { count: invited }),
  });
  const open = post('open', { title: t('console.meetings.openConfirm'), content: t('console.meetings.openWhat') });
  const changeable = meeting.state === 'draft' || meeting.state === 'convened';
  // Closing resumes the waiting workflows and cannot be undone: say so and ask first.
  const close = post('close', {
    title: t('console.meetings.closeConfirm'),
    content: t('console.meetings.closeWhat'),
    danger: true,
  });
  return (
    <>
      {changeable && (
        <Button onClick={() => setEditing(true)} data-testid="meeting-edit">
          {t('console.meetings.edit')}
        </Button>
      )}
      {changeable && (
        <Button onClick={() => setMoving(true)} data-testid="meeting-reschedule">
          {t('console.meetings.reschedule')}
        </Button>
      )}
      {changeable && (
        <Button danger onClick={() => setCancelling(true)} data-testid="meeting-cancel">
          {t('console.meetings.cancel')}
        </Button>
      )}
      {meeting.state === 'draft' && (
        <Button type="primary" loading={busy === 'convene'} onClick={convene} data-testid="meeting-convene">
          {t('console.meetings.convene')}
        </Button>
      )}
      {meeting.state === 'convened' && (
        <Button type="primary" loading={busy === 'open'} onClick={open} data-testid="meeting-open">
          {t('console.meetings.open')}
        </Button>
      )}
      {meeting.state === 'inSession' && (
        <Button type="primary" danger loading={busy === 'close'} onClick={close} data-testid="meeting-close">
          {t('console.meetings.close')}
        </Button>
      )}
      {editing && <EditMeeting meeting={meeting} onClose={() => setEditing(false)} />}
      {moving && <RescheduleMeeting meeting={meeting} onClose={() => setMoving(false)} />}
      {cancelling && <CancelMeeting meeting={meeting} onClose={() => setCancelling(false)} />}
    </>
  );
}

/** A noticed meeting can open 30 minutes before its time; sooner, the secretary is offered 改期 to now. */
function TooEarly({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const [movingTo, setMovingTo] = useState<Date | null>(null);
  const [shownAt] = useState(() => Date.now());
  const startsAt = new Date(meeting.startsAt);
  const earliest = new Date(startsAt.getTime() - 30 * 60 * 1000);
  if (meeting.state !== 'convened' || shownAt >= earliest.getTime()) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="meeting-too-early"
      message={t('console.meetings.tooEarlyHint', {
        at: formatDateTime(meeting.startsAt),
        earliest: formatDateTime(earliest.toISOString()),
      })}
      action={
        <>
          <Button
            size="small"
            onClick={() => setMovingTo(new Date(Date.now() + 5 * 60 * 1000))}
            data-testid="meeting-reschedule-now"
          >
            {t('console.meetings.rescheduleNow')}
          </Button>
          {movingTo && <RescheduleMeeting meeting={meeting} onClose={() => setMovingTo(null)} at={movingTo} />}
        </>
      }
    />
  );
}

function RescheduleMeeting({ meeting, onClose, at }: { meeting: Meeting; onClose: () => void; at?: Date }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const save = async (values: { startsAt: string; reason: string }) => {
    const ok = await run(
      'reschedule',
      () => meetingsApi.reschedule(meeting.id, toIso(values.startsAt), values.reason, meeting.revision),
      t('console.meetings.did.reschedule'),
    );
    if (ok) onClose();
  };
  return (
    <Modal open title={t('console.meetings.reschedule')} onCancel={onClose} footer={null} destroyOnHidden>
      <Alert type="info" style={{ marginBottom: 16 }} message={t('console.meetings.rescheduleHint')} />
      <Form
        layout="vertical"
        onFinish={save}
        initialValues={{ startsAt: localInputValue(at ?? new Date(meeting.startsAt)), reason: '' }}
      >
        <Form.Item name="startsAt" label={t('console.meetings.rescheduleTo')} rules={[{ required: true }]}>
          <Input type="datetime-local" data-testid="reschedule-time" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('console.meetings.rescheduleReason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="reschedule-reason" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy === 'reschedule'} data-testid="reschedule-save">
          {t('console.meetings.reschedule')}
        </Button>
      </Form>
    </Modal>
  );
}

function CancelMeeting({ meeting, onClose }: { meeting: Meeting; onClose: () => void }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  // Cancelling cannot be undone and moves the agenda: say what will happen and ask before doing it.
  const submit = async (values: { reason: string }) => {
    const ok = await run(
      'cancel',
      () => meetingsApi.cancel(meeting.id, values.reason, meeting.revision),
      t('console.meetings.did.cancel'),
      { title: t('console.meetings.cancelConfirm'), content: t('console.meetings.cancelWhat'), danger: true },
    );
    if (ok) onClose();
  };
  return (
    <Modal open title={t('console.meetings.cancel')} onCancel={onClose} footer={null} destroyOnHidden>
      <Alert type="warning" style={{ marginBottom: 16 }} message={t('console.meetings.cancelWhat')} />
      <Form layout="vertical" onFinish={submit} initialValues={{ reason: '' }}>
        <Form.Item
          name="reason"
          label={t('console.meetings.cancelReason')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea rows={2} maxLength={500} data-testid="cancel-reason" />
        </Form.Item>
        <Button danger type="primary" htmlType="submit" loading={busy === 'cancel'} data-testid="cancel-save">
          {t('console.meetings.cancel')}
        </Button>
      </Form>
    </Modal>
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
          revision: meeting.revision,
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
          {/* once the notice is out the time moves by 改期, which tells everyone invited */}
          <Input type="datetime-local" data-testid="meeting-starts" disabled={meeting.state !== 'draft'} />
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
