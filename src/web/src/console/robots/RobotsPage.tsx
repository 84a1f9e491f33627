// 群机器人: the 企业微信/政务微信 and 钉钉 group robots of a community and its grids, kept by the community's party
// secretary or an administrator. Keys and secrets arrive masked and are sent again only when retyped.
import { useMemo, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { useConfirm } from '../../shared/confirm';
import { formatDateTime } from '../../shared/format';
import { robotKeys } from '../../shared/queryKeys';
import type { OrgNode } from '../../shared/types';
import { useWrite } from '../../shared/useWrite';
import { robotsApi, useOrg, useRobots, type GroupRobot, type RobotChange } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';

/** Communities and grids whose robots the caller keeps: an admin's, or under a party secretary's node. */
export function robotNodes(nodes: OrgNode[], grants: { role: string; orgUnitId: string }[]): OrgNode[] {
  const kept = new Set(grants.filter((g) => g.role === 'admin' || g.role === 'partySecretary').map((g) => g.orgUnitId));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const under = (n: OrgNode | undefined): boolean => !!n && (kept.has(n.id) || under(byId.get(n.parentId ?? '')));
  return nodes.filter((n) => (n.level === 'community' || n.level === 'grid') && under(n));
}

export function RobotsPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const org = useOrg();
  const nodes = useMemo(() => robotNodes(org.data ?? [], me?.roles ?? []), [org.data, me]);
  const [chosen, setChosen] = useState<string | null>(null);
  const nodeId = chosen ?? nodes[0]?.id ?? '';
  const byId = new Map((org.data ?? []).map((n) => [n.id, n]));
  const label = (n: OrgNode) =>
    n.level === 'grid' && n.parentId ? `${byId.get(n.parentId)?.name ?? ''} · ${n.name}` : n.name;
  return (
    <>
      <PageTitle
        extra={
          <Select
            value={nodeId || undefined}
            onChange={setChosen}
            style={{ minWidth: 220 }}
            options={nodes.map((n) => ({ value: n.id, label: label(n) }))}
            data-testid="robots-node"
          />
        }
      >
        {t('console.menu.robots')}
      </PageTitle>
      <Typography.Paragraph type="secondary">{t('console.robots.intro')}</Typography.Paragraph>
      <Loaded query={org}>{() => (nodeId ? <Robots key={nodeId} orgUnitId={nodeId} /> : null)}</Loaded>
    </>
  );
}

function Robots({ orgUnitId }: { orgUnitId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const robots = useRobots(orgUnitId);
  const [editing, setEditing] = useState<GroupRobot | 'new' | null>(null);
  const { run, busyKey } = useWrite(({ write }: { key: string; write: () => Promise<unknown> }) => write(), {
    invalidate: [robotKeys.of(orgUnitId)],
    onError: (text) => message.error(text),
    busyKey: (v) => v.key,
  });
  const remove = async (r: GroupRobot) => {
    const ok = await confirm({
      title: t('console.robots.removeTitle', { name: r.name }),
      content: t('console.robots.removeWhat', { n: r.waiting }),
      okText: t('console.remove'),
      danger: true,
    });
    if (ok) void run({ key: `remove-${r.id}`, write: () => robotsApi.remove(orgUnitId, r.id) });
  };
  return (
    <>
      <Button type="primary" onClick={() => setEditing('new')} style={{ marginBottom: 12 }} data-testid="robot-new">
        {t('console.robots.new')}
      </Button>
      <Loaded query={robots}>
        {(list) => (
          <Table<GroupRobot>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={list}
            pagination={false}
            data-testid="robots"
            columns={[
              {
                title: t('console.robots.name'),
                render: (_, r) => (
                  <Space direction="vertical" size={0}>
                    <span>
                      {r.name} <Tag>{t(`console.robots.kinds.${r.kind}`)}</Tag>
                      {!r.enabled && <Tag>{t('console.robots.off')}</Tag>}
                    </span>
                    {/* The masked key and secret as the server shows them: codes, not words. */}
                    <Typography.Text code style={{ wordBreak: 'break-all' }}>
                      {r.url}
                    </Typography.Text>
                    {r.secret && (
                      <span>
                        {t('console.robots.secretIs')} <Typography.Text code>{r.secret}</Typography.Text>
                      </span>
                    )}
                  </Space>
                ),
              },
              {
                title: t('console.robots.delivery'),
                render: (_, r) => (
                  <Space direction="vertical" size={0}>
                    <span>
                      {r.lastDeliveredAt
                        ? t('console.robots.lastDelivered', { time: formatDateTime(r.lastDeliveredAt) })
                        : t('console.robots.neverDelivered')}
                    </span>
                    {r.waiting > 0 && <Tag color="orange">{t('console.robots.waiting', { n: r.waiting })}</Tag>}
                    {r.lastError && (
                      <Typography.Text type="danger" data-testid="robot-error">
                        {t('console.robots.lastError', { error: r.lastError })}
                      </Typography.Text>
                    )}
                  </Space>
                ),
              },
              {
                title: '',
                render: (_, r) => (
                  <Space wrap>
                    <Button size="small" onClick={() => setEditing(r)} data-testid={`robot-edit-${r.id}`}>
                      {t('console.edit')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() =>
                        run({
                          key: `switch-${r.id}`,
                          write: () => robotsApi.change(orgUnitId, r.id, { enabled: !r.enabled }),
                        })
                      }
                      loading={busyKey === `switch-${r.id}`}
                    >
                      {t(r.enabled ? 'console.robots.switchOff' : 'console.robots.switchOn')}
                    </Button>
                    <Button
                      size="small"
                      onClick={() =>
                        run({
                          key: `test-${r.id}`,
                          write: async () => {
                            const sent = await robotsApi.test(orgUnitId, r.id);
                            if (sent.delivered) void message.success(t('console.robots.testDelivered'));
                            else void message.error(t('console.robots.testFailed', { error: sent.error ?? '' }));
                          },
                        })
                      }
                      loading={busyKey === `test-${r.id}`}
                      data-testid={`robot-test-${r.id}`}
                    >
                      {t('console.robots.test')}
                    </Button>
                    <Button size="small" danger onClick={() => remove(r)} loading={busyKey === `remove-${r.id}`}>
                      {t('console.remove')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loaded>
      {editing && (
        <RobotForm orgUnitId={orgUnitId} robot={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
      )}
    </>
  );
}

interface RobotFields {
  kind: 'weCom' | 'dingTalk';
  name?: string;
  url?: string;
  secret?: string;
  enabled: boolean;
}

function RobotForm({
  orgUnitId,
  robot,
  onClose,
}: {
  orgUnitId: string;
  robot: GroupRobot | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<RobotFields>();
  const kind = Form.useWatch('kind', form) ?? robot?.kind ?? 'weCom';
  const { run, busy, error } = useWrite(
    (v: RobotFields) => {
      // An empty URL or secret on an existing robot keeps the stored one (the console only has them masked).
      const body: RobotChange = {
        kind: v.kind,
        name: v.name?.trim() || null,
        url: v.url?.trim() || null,
        secret: v.secret?.trim() || null,
        enabled: v.enabled,
      };
      return robot ? robotsApi.change(orgUnitId, robot.id, body) : robotsApi.add(orgUnitId, body);
    },
    { invalidate: [robotKeys.of(orgUnitId)], onSuccess: onClose },
  );
  return (
    <Modal open title={robot ? robot.name : t('console.robots.new')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={run}
        initialValues={{ kind: robot?.kind ?? 'weCom', name: robot?.name, enabled: robot?.enabled ?? true }}
      >
        <Form.Item name="kind" label={t('console.robots.kind')}>
          <Select
            disabled={!!robot}
            options={(['weCom', 'dingTalk'] as const).map((k) => ({ value: k, label: t(`console.robots.kinds.${k}`) }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('console.robots.name')}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('console.robots.url')}
          rules={robot ? [] : [{ required: true, whitespace: true, message: t('console.robots.urlRequired') }]}
          extra={robot ? t('console.robots.keepUrl') : t('console.robots.urlHelp')}
        >
          <Input data-testid="robot-url" />
        </Form.Item>
        {kind === 'dingTalk' && (
          <Form.Item
            name="secret"
            label={t('console.robots.secret')}
            extra={robot?.secret ? t('console.robots.keepSecret') : t('console.robots.secretHelp')}
          >
            <Input.Password autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item name="enabled" label={t('console.robots.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="robot-save">
          {t('console.save')}
        </Button>
      </Form>
    </Modal>
  );
}
