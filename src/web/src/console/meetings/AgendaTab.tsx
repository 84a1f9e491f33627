// 议程: each item with the parties' opinions (讨论情况) and motions; a motion can be put to a members' vote.
import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Empty, Form, Input, List, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { meetingsApi } from '../consoleApi';
import { PARTIES, type AgendaItem, type Meeting } from './types';
import { useMeetingAction } from './useMeetingAction';
import { PutToVote } from './PutToVote';

export function AgendaTab({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const [form] = Form.useForm();
  const canAdd = meeting.canManage && meeting.state !== 'closed' && meeting.state !== 'minutesApproved';
  return (
    <>
      {meeting.agenda.length === 0 && <Empty description={t('console.meetings.noAgenda')} />}
      {meeting.agenda.map((item) => (
        <AgendaItemCard key={item.id} meeting={meeting} item={item} />
      ))}
      {canAdd && (
        <Card size="small" title={t('console.meetings.addItem')}>
          <Form
            form={form}
            layout="inline"
            onFinish={async (v) => {
              if (await run('item', () => meetingsApi.addAgendaItem(meeting.id, v))) form.resetFields();
            }}
          >
            <Form.Item
              name="title"
              rules={[{ required: true }]}
              messageVariables={{ label: t('console.meetings.itemTitle') }}
            >
              <Input placeholder={t('console.meetings.itemTitle')} style={{ width: 320 }} />
            </Form.Item>
            <Form.Item name="description">
              <Input placeholder={t('console.meetings.itemDescription')} style={{ width: 320 }} />
            </Form.Item>
            <Button htmlType="submit" loading={busy === 'item'}>
              {t('console.add')}
            </Button>
          </Form>
        </Card>
      )}
    </>
  );
}

function AgendaItemCard({ meeting, item }: { meeting: Meeting; item: AgendaItem }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const [opinionForm] = Form.useForm();
  const [motionForm] = Form.useForm();
  const [voting, setVoting] = useState<string | null>(null);
  const live = meeting.canManage && meeting.state === 'inSession';
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="agenda-item"
      title={
        <>
          {item.order}. {item.title}{' '}
          {!item.announced && meeting.state !== 'draft' && <Tag>{t('console.meetings.notAnnounced')}</Tag>}
        </>
      }
      extra={item.matterId && <Link to={`/console/matters/${item.matterId}`}>{t('console.meetings.matter')}</Link>}
    >
      {item.description && (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, expandable: true }}>
          {item.description}
        </Typography.Paragraph>
      )}
      <Typography.Text strong>{t('console.meetings.opinions')}</Typography.Text>
      <List
        size="small"
        dataSource={item.opinions}
        locale={{ emptyText: '—' }}
        renderItem={(o) => (
          <List.Item data-testid="opinion">
            <Space align="start">
              <Tag color="red">{o.partyName}</Tag>
              <span>
                {o.speaker && <b>{o.speaker}：</b>}
                {o.text}
              </span>
            </Space>
          </List.Item>
        )}
      />
      {live && (
        <Form
          form={opinionForm}
          layout="inline"
          style={{ margin: '8px 0 16px' }}
          initialValues={{ party: 'partyOrganisation' }}
          onFinish={async (v) => {
            if (await run('opinion', () => meetingsApi.addOpinion(meeting.id, item.id, v)))
              opinionForm.resetFields(['speaker', 'text']);
          }}
        >
          <Form.Item name="party">
            <Select
              style={{ width: 130 }}
              data-testid="opinion-party"
              options={PARTIES.map((p) => ({ value: p, label: t(`console.party.${p}`) }))}
            />
          </Form.Item>
          <Form.Item name="speaker">
            <Input placeholder={t('console.meetings.speaker')} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item
            name="text"
            rules={[{ required: true }]}
            messageVariables={{ label: t('console.meetings.opinion') }}
          >
            <Input placeholder={t('console.meetings.opinion')} style={{ width: 340 }} data-testid="opinion-text" />
          </Form.Item>
          <Button htmlType="submit" loading={busy === 'opinion'} data-testid="opinion-add">
            {t('console.meetings.recordOpinion')}
          </Button>
        </Form>
      )}
      <Typography.Text strong>{t('console.meetings.motions')}</Typography.Text>
      <List
        size="small"
        dataSource={item.motions}
        locale={{ emptyText: '—' }}
        renderItem={(m) => (
          <List.Item
            actions={[
              m.ballotId ? (
                <Link key="b" to={`/console/ballots/${m.ballotId}`}>
                  {t('console.meetings.ballot')}
                </Link>
              ) : live && item.votable ? (
                <Button key="v" size="small" onClick={() => setVoting(m.id)}>
                  {t('console.meetings.putToVote')}
                </Button>
              ) : null,
            ]}
          >
            {m.text} <Typography.Text type="secondary">（{m.proposedBy}）</Typography.Text>
          </List.Item>
        )}
      />
      {live && (
        <Form
          form={motionForm}
          layout="inline"
          style={{ marginTop: 8 }}
          onFinish={async (v) => {
            if (await run('motion', () => meetingsApi.addMotion(meeting.id, item.id, v))) motionForm.resetFields();
          }}
        >
          <Form.Item
            name="text"
            rules={[{ required: true }]}
            messageVariables={{ label: t('console.meetings.motion') }}
          >
            <Input placeholder={t('console.meetings.motion')} style={{ width: 340 }} />
          </Form.Item>
          <Form.Item
            name="proposedBy"
            rules={[{ required: true }]}
            messageVariables={{ label: t('console.meetings.proposedBy') }}
          >
            <Input placeholder={t('console.meetings.proposedBy')} style={{ width: 120 }} />
          </Form.Item>
          <Button htmlType="submit" loading={busy === 'motion'}>
            {t('console.meetings.addMotion')}
          </Button>
        </Form>
      )}
      {voting && (
        <PutToVote
          meeting={meeting}
          item={item}
          motion={item.motions.find((m) => m.id === voting)!}
          onClose={() => setVoting(null)}
        />
      )}
    </Card>
  );
}
