// 账号管理 (administrators): the accounts with a role under their nodes; create one with its first role, grant and
// revoke roles at nodes, reset a password (the one-time password shown once), deactivate and reactivate. A role is
// shown with its node's names below the street (幸福社区 / 第一网格): every community has a 第一网格.
import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { adminKeys } from '../../shared/queryKeys';
import { useConfirm } from '../../shared/confirm';
import { useWrite } from '../../shared/useWrite';
import { useAdminOrg, useRoles, useUsers, usersApi, type NewUser, type StaffUser } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';
import { OneTimePasswordDialog } from './OneTimePassword';
import { pathLabel } from './orgTree';

/** Whether an account matches the search: user name, display name, phone or e-mail. */
export function matchesUser(user: StaffUser, search: string): boolean {
  const s = search.trim().toLowerCase();
  if (!s) return true;
  return [user.userName, user.displayName, user.phone, user.email].some((v) => v?.toLowerCase().includes(s));
}

export function UsersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const users = useUsers();
  const [search, setSearch] = useState('');
  const [creating, setCreating] = useState(false);
  const [granting, setGranting] = useState<StaffUser | null>(null);
  const [shown, setShown] = useState<{ userName: string; password: string } | null>(null);
  const { run, busyKey } = useWrite(({ write }: { key: string; write: () => Promise<unknown> }) => write(), {
    invalidate: [adminKeys.users],
    onError: (text) => message.error(text),
    busyKey: (v) => v.key,
  });
  const reset = async (u: StaffUser) => {
    const ok = await confirm({
      title: t('console.users.resetTitle', { name: u.displayName }),
      content: t('console.users.resetWhat'),
      okText: t('console.users.reset'),
    });
    if (!ok) return;
    void run({
      key: `reset-${u.id}`,
      write: async () => {
        const answer = await usersApi.resetPassword(u.id);
        setShown({ userName: u.userName, password: answer.oneTimePassword });
      },
    });
  };
  const deactivate = async (u: StaffUser) => {
    const ok = await confirm({
      title: t('console.users.deactivateTitle', { name: u.displayName }),
      content: t('console.users.deactivateWhat'),
      okText: t('console.users.deactivate'),
      danger: true,
      reversible: true,
    });
    if (ok) void run({ key: `deactivate-${u.id}`, write: () => usersApi.deactivate(u.id) });
  };
  const reactivate = async (u: StaffUser) => {
    const ok = await confirm({
      title: t('console.users.reactivateTitle', { name: u.displayName }),
      content: t('console.users.reactivateWhat'),
      okText: t('console.users.reactivate'),
      reversible: true,
    });
    if (ok) void run({ key: `reactivate-${u.id}`, write: () => usersApi.reactivate(u.id) });
  };
  const revoke = async (u: StaffUser, role: string, roleName: string, orgUnitId: string, orgUnitName: string) => {
    const ok = await confirm({
      title: t('console.users.revokeTitle', { role: roleName, node: orgUnitName }),
      content: t('console.users.revokeWhat', { name: u.displayName }),
      danger: true,
    });
    if (ok) void run({ key: `revoke-${u.id}`, write: () => usersApi.revoke(u.id, role, orgUnitId) });
  };
  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setCreating(true)} data-testid="user-new">
            {t('console.users.new')}
          </Button>
        }
      >
        {t('console.menu.users')}
      </PageTitle>
      <Input.Search
        allowClear
        placeholder={t('console.users.search')}
        onChange={(e) => setSearch(e.target.value)}
        style={{ maxWidth: 320, marginBottom: 12 }}
        data-testid="user-search"
      />
      <Loaded query={users}>
        {(list) => (
          <Table<StaffUser>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={list.filter((u) => matchesUser(u, search))}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="users"
            columns={[
              {
                title: t('console.users.displayName'),
                render: (_, u) => (
                  <Space direction="vertical" size={0}>
                    <span>
                      {u.displayName} {!u.active && <Tag>{t('console.users.inactive')}</Tag>}
                      {u.active && u.mustChangePassword && <Tag color="orange">{t('console.users.mustChange')}</Tag>}
                    </span>
                    <span style={{ color: '#8c8c8c' }} translate="no">
                      {u.userName}
                    </span>
                  </Space>
                ),
              },
              {
                title: t('console.users.contact'),
                render: (_, u) => <span translate="no">{[u.phone, u.email].filter(Boolean).join(' · ') || '—'}</span>,
              },
              {
                title: t('console.users.roles'),
                render: (_, u) => (
                  <Space size={[4, 4]} wrap>
                    {u.roles.map((g) => (
                      <Tag
                        key={`${g.role}-${g.orgUnitId}`}
                        closable={u.active}
                        onClose={(e) => {
                          e.preventDefault();
                          void revoke(u, g.role, g.roleName, g.orgUnitId, g.orgUnitPathName || g.orgUnitName);
                        }}
                      >
                        {g.roleName} · {g.orgUnitPathName || g.orgUnitName}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              {
                title: '',
                render: (_, u) =>
                  !u.active ? (
                    <Button
                      size="small"
                      onClick={() => reactivate(u)}
                      loading={busyKey === `reactivate-${u.id}`}
                      data-testid={`user-reactivate-${u.userName}`}
                    >
                      {t('console.users.reactivate')}
                    </Button>
                  ) : (
                    <Space wrap>
                      <Button size="small" onClick={() => setGranting(u)} data-testid={`user-grant-${u.userName}`}>
                        {t('console.users.grant')}
                      </Button>
                      <Button
                        size="small"
                        onClick={() => reset(u)}
                        loading={busyKey === `reset-${u.id}`}
                        data-testid={`user-reset-${u.userName}`}
                      >
                        {t('console.users.reset')}
                      </Button>
                      <Button
                        size="small"
                        danger
                        onClick={() => deactivate(u)}
                        loading={busyKey === `deactivate-${u.id}`}
                        data-testid={`user-deactivate-${u.userName}`}
                      >
                        {t('console.users.deactivate')}
                      </Button>
                    </Space>
                  ),
              },
            ]}
          />
        )}
      </Loaded>
      {creating && (
        <CreateUser
          onClose={() => setCreating(false)}
          onCreated={(userName, password) => {
            setCreating(false);
            setShown({ userName, password });
          }}
        />
      )}
      {granting && <GrantRole user={granting} onClose={() => setGranting(null)} />}
      {shown && <OneTimePasswordDialog {...shown} onClose={() => setShown(null)} />}
    </>
  );
}

/** The roles and nodes an administrator can give: any role but a resident's, at a node in service. */
function usePickers() {
  const roles = (useRoles().data ?? []).filter((r) => r.role !== 'resident');
  const nodes = (useAdminOrg().data ?? []).filter((n) => !n.retiredAt);
  return {
    roleOptions: roles.map((r) => ({ value: r.role, label: r.name })),
    nodeOptions: nodes.map((n) => ({ value: n.id, label: pathLabel(nodes, n) })),
  };
}

function CreateUser({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (userName: string, password: string) => void;
}) {
  const { t } = useTranslation();
  const { roleOptions, nodeOptions } = usePickers();
  const { run, busy, error } = useWrite((v: NewUser) => usersApi.create(v), {
    invalidate: [adminKeys.users],
    onSuccess: (answer) => onCreated(answer.user.userName, answer.oneTimePassword),
  });
  return (
    <Modal open title={t('console.users.new')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={run}>
        <Form.Item name="userName" label={t('console.users.userName')} rules={[{ required: true, whitespace: true }]}>
          <Input autoComplete="off" data-testid="user-userName" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('console.users.displayName')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input data-testid="user-displayName" />
        </Form.Item>
        <Form.Item name="phone" label={t('console.users.phone')}>
          <Input inputMode="tel" />
        </Form.Item>
        <Form.Item name="email" label={t('console.users.email')}>
          <Input inputMode="email" />
        </Form.Item>
        <Form.Item name="role" label={t('console.users.firstRole')} rules={[{ required: true }]}>
          <Select options={roleOptions} data-testid="user-role" />
        </Form.Item>
        <Form.Item name="orgUnitId" label={t('console.users.node')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={nodeOptions} data-testid="user-node" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="user-create">
          {t('console.users.create')}
        </Button>
      </Form>
    </Modal>
  );
}

function GrantRole({ user, onClose }: { user: StaffUser; onClose: () => void }) {
  const { t } = useTranslation();
  const { roleOptions, nodeOptions } = usePickers();
  const { run, busy, error } = useWrite(
    (v: { role: string; orgUnitId: string }) => usersApi.grant(user.id, v.role, v.orgUnitId),
    { invalidate: [adminKeys.users], onSuccess: onClose },
  );
  return (
    <Modal
      open
      title={t('console.users.grantTitle', { name: user.displayName })}
      onCancel={onClose}
      footer={null}
      destroyOnHidden
    >
      <Form layout="vertical" onFinish={run}>
        <Form.Item name="role" label={t('console.users.role')} rules={[{ required: true }]}>
          <Select options={roleOptions} />
        </Form.Item>
        <Form.Item name="orgUnitId" label={t('console.users.node')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={nodeOptions} />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('console.users.grant')}
        </Button>
      </Form>
    </Modal>
  );
}
