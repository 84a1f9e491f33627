// 表决: the ballots the person may see; the owners' committee and the party secretary open owners' votes.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Form, Input, InputNumber, Modal, Segmented, Select, Switch, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime, formatUntil } from '../../shared/format';
import type { Ballot } from '../../shared/types';
import { useWrite } from '../../shared/useWrite';
import { ballotsApi, useBallots, useOrg, useProposalKinds, type NewOwnersBallot } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';
import { localInputValue, toIso } from '../meetings/time';

export function BallotsPage() {
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const [status, setStatus] = useState<'open' | 'announced' | 'closed' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const ballots = useBallots(status, page);
  return (
    <>
      <PageTitle
        extra={
          <>
            <Segmented
              value={status}
              onChange={(v) => {
                setStatus(v as typeof status);
                setPage(1);
              }}
              style={{ marginRight: 12 }}
              options={(['open', 'announced', 'closed', 'all'] as const).map((s) => ({
                value: s,
                label: t(`console.ballots.filter.${s}`),
              }))}
            />
            {hasRole('ownersCommittee', 'partySecretary', 'admin') && (
              <Button type="primary" onClick={() => setCreating(true)}>
                {t('console.ballots.new')}
              </Button>
            )}
          </>
        }
      >
        {t('console.menu.ballots')}
      </PageTitle>
      <Loaded query={ballots}>
        {(list) => (
          <Table<Ballot>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={list.items}
            pagination={{ current: page, pageSize: 20, total: list.total, onChange: setPage, hideOnSinglePage: true }}
            data-testid="ballots"
            columns={[
              {
                title: t('console.ballots.title'),
                render: (_, b) => <Link to={`/console/ballots/${b.id}`}>{b.title}</Link>,
              },
              { title: t('console.ballots.scope'), render: (_, b) => b.scope.name },
              {
                title: t('console.ballots.rule'),
                render: (_, b) => t(`console.rules.${b.rule}`, { defaultValue: b.rule }),
              },
              { title: t('console.ballots.opensAt'), render: (_, b) => formatDateTime(b.opensAt) },
              { title: t('console.ballots.closesAt'), render: (_, b) => formatUntil(b.closesAt) },
              {
                title: t('console.ballots.organiser'),
                render: (_, b) =>
                  b.organiser
                    ? `${t(`console.ballots.organiserBody.${b.organiser.body}`)}${b.organiser.name ? `（${b.organiser.name}）` : ''}`
                    : '—',
              },
              {
                title: t('console.ballots.turnout'),
                render: (_, b) =>
                  `${b.participation.heads} / ${b.electorate.units > 0 ? b.electorate.heads : b.electorate.present}`,
              },
              {
                title: t('console.ballots.state'),
                render: (_, b) =>
                  b.outcome ? (
                    <Tag color={b.outcome === 'passed' ? 'green' : 'red'}>{t(`console.outcomes.${b.outcome}`)}</Tag>
                  ) : b.status === 'announced' ? (
                    <Tag color="blue">{t('console.ballots.announced')}</Tag>
                  ) : (
                    <Tag color={b.isOpen ? 'orange' : 'default'}>
                      {t(b.isOpen ? 'console.ballots.open' : 'console.ballots.closed')}
                    </Tag>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      {creating && <CreateOwnersBallot onClose={() => setCreating(false)} />}
    </>
  );
}

function CreateOwnersBallot({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const scopes = (useOrg().data ?? []).filter(
    (n) => n.level === 'community' || n.level === 'grid' || n.level === 'building',
  );
  const kinds = useProposalKinds().data ?? [];
  const { run: create, error } = useWrite(
    (v: NewOwnersBallot) => ballotsApi.create({ ...v, opensAt: toIso(v.opensAt), closesAt: toIso(v.closesAt) }),
    { onSuccess: (ballot) => navigate(`/console/ballots/${ballot.id}`) },
  );
  // 15 days' notice (and a day's margin), then a week of voting; worked out once, when the form opens.
  const [initialValues] = useState(() => ({
    rule: 'civil-code-278-ordinary',
    secret: false,
    allowRevote: false,
    opensAt: localInputValue(new Date(Date.now() + 16 * 86_400_000)),
    closesAt: localInputValue(new Date(Date.now() + 23 * 86_400_000)),
  }));
  return (
    <Modal open title={t('console.ballots.new')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={create} initialValues={initialValues}>
        <Alert
          type="info"
          showIcon
          title={t('console.ballots.noticeRule')}
          style={{ marginBottom: 12 }}
          data-testid="notice-rule"
        />
        <Form.Item name="title" label={t('console.ballots.title')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        {/* What the owners vote on; fixed once announced (the server keeps it as posted). */}
        <Form.Item
          name="proposal"
          label={t('console.ballots.proposal')}
          extra={t('console.ballots.proposalFixed')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea
            rows={2}
            maxLength={2000}
            placeholder={t('console.ballots.proposalHelp')}
            data-testid="ballot-proposal-input"
          />
        </Form.Item>
        <Form.Item name="reason" label={t('console.ballots.reason')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="cost" label={t('console.ballots.cost')}>
          <InputNumber min={0} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="proposedBy" label={t('console.ballots.proposedBy')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('console.ballots.description')}>
          <Input.TextArea rows={3} />
        </Form.Item>
        {/* The kind decides the least rule: the server refuses a lower one, naming the kind. */}
        <Form.Item name="kind" label={t('console.ballots.kind')} rules={[{ required: true }]}>
          <Select
            data-testid="ballot-kind"
            options={kinds.map((k) => ({
              value: k.code,
              label: `${i18n.language.startsWith('en') ? k.nameEn : k.nameZh}${k.major ? ` (${t('console.rules.civil-code-278-major')})` : ''}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="rule" label={t('console.ballots.rule')}>
          <Select
            options={['civil-code-278-ordinary', 'civil-code-278-major'].map((r) => ({
              value: r,
              label: t(`console.rules.${r}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="orgUnitId" label={t('console.ballots.scope')} rules={[{ required: true }]}>
          <Select options={scopes.map((s) => ({ value: s.id, label: s.name }))} />
        </Form.Item>
        <Form.Item name="opensAt" label={t('console.ballots.opensAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="closesAt" label={t('console.ballots.closesAt')} rules={[{ required: true }]}>
          <Input type="datetime-local" />
        </Form.Item>
        <Form.Item name="secret" label={t('console.ballots.secret')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="allowRevote" label={t('console.ballots.allowRevote')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit">
          {t('console.ballots.create')}
        </Button>
      </Form>
    </Modal>
  );
}
