// 组织架构 (administrators): the nodes they administer as a tree; create a child at the next level, rename, move under
// a node of the level above, retire (with everything below), restore a retired node (with what was retired with it) or
// delete a node without history. Retired nodes are greyed and hidden unless asked for. Each edit sends the version of
// the node the administrator sees; when someone else changed it meanwhile, the refusal is shown and the tree reloaded.
import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Tree,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../shared/api';
import { adminKeys, referenceKeys } from '../../shared/queryKeys';
import { useConfirm } from '../../shared/confirm';
import { formatDateTime } from '../../shared/format';
import { useWrite } from '../../shared/useWrite';
import { orgAdminApi, useAdminOrg, type AdminOrgNode } from '../consoleApi';
import { Loaded, PageTitle } from '../ui';
import {
  buildTree,
  canAddChild,
  childLevel,
  moveTargets,
  pathLabel,
  retiredWith,
  subtreeIds,
  type TreeItem,
} from './orgTree';

type Editing = { kind: 'add' | 'rename' | 'move'; node: AdminOrgNode } | null;

/** Someone else changed the node since the tree was loaded (the server's 409 `conflict`). */
const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409 && e.problem.code === 'conflict';

/** After a conflict: the tree as it is now, so the administrator sees what changed before trying again. */
function useReloadTree() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: adminKeys.org });
    void client.invalidateQueries({ queryKey: referenceKeys.org });
  };
}

export function OrgPage() {
  const { t } = useTranslation();
  const org = useAdminOrg();
  const [showRetired, setShowRetired] = useState(false);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Switch checked={showRetired} onChange={setShowRetired} data-testid="org-show-retired" />
            {t('console.org.showRetired')}
          </Space>
        }
      >
        {t('console.menu.org')}
      </PageTitle>
      <Loaded query={org}>
        {(nodes) => (
          <OrgTree
            nodes={nodes}
            showRetired={showRetired}
            selected={nodes.find((n) => n.id === selectedId) ?? null}
            onSelect={setSelectedId}
          />
        )}
      </Loaded>
    </>
  );
}

function OrgTree({
  nodes,
  showRetired,
  selected,
  onSelect,
}: {
  nodes: AdminOrgNode[];
  showRetired: boolean;
  selected: AdminOrgNode | null;
  onSelect: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const tree = useMemo(() => buildTree(nodes, showRetired), [nodes, showRetired]);
  const [editing, setEditing] = useState<Editing>(null);
  // Everything starts open, and a node just added shows at once under its parent (antd's defaultExpandAll opens only
  // what exists at the first render); what the administrator closed stays closed.
  const [{ seen, expanded }, setOpen] = useState({ seen: new Set<string>(), expanded: [] as string[] });
  const fresh = nodes.filter((n) => !seen.has(n.id));
  if (fresh.length > 0) {
    const open = new Set(expanded);
    fresh.forEach((n) => {
      open.add(n.id);
      if (n.parentId) open.add(n.parentId);
    });
    setOpen({ seen: new Set([...seen, ...fresh.map((n) => n.id)]), expanded: [...open] });
  }
  const toData = (items: TreeItem[]): object[] =>
    items.map((i) => ({
      key: i.key,
      title: (
        <span
          data-testid={`org-node-${i.node.name}`}
          style={i.node.retiredAt ? { color: '#8c8c8c', textDecoration: 'line-through' } : undefined}
        >
          {i.node.name} <Tag>{t(`console.org.levels.${i.node.level}`)}</Tag>
          {i.node.retiredAt && <Tag>{t('console.org.retired')}</Tag>}
        </span>
      ),
      children: toData(i.children),
    }));
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Card size="small">
          {tree.length ? (
            <Tree
              // Mounted afresh when retired nodes are shown: on its first render antd's Tree drops the open keys of nodes
              // it does not hold, so a retired node's children would stay closed.
              key={showRetired ? 'with-retired' : 'in-service'}
              expandedKeys={expanded}
              onExpand={(keys) => setOpen({ seen, expanded: keys as string[] })}
              blockNode
              selectedKeys={selected ? [selected.id] : []}
              // a second click on the chosen node keeps it chosen (antd's Tree would unselect it and hide its actions)
              onSelect={(keys) => keys.length > 0 && onSelect(keys[0] as string)}
              treeData={toData(tree) as never}
              data-testid="org-tree"
            />
          ) : (
            <Empty />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        {selected ? (
          <NodeActions node={selected} nodes={nodes} onEdit={setEditing} onGone={() => onSelect(null)} />
        ) : (
          <Typography.Text type="secondary">{t('console.org.pick')}</Typography.Text>
        )}
      </Col>
      {editing && <NodeForm editing={editing} nodes={nodes} onClose={() => setEditing(null)} />}
    </Row>
  );
}

function NodeActions({
  node,
  nodes,
  onEdit,
  onGone,
}: {
  node: AdminOrgNode;
  nodes: AdminOrgNode[];
  onEdit: (e: Editing) => void;
  onGone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const reload = useReloadTree();
  const child = childLevel(node.level);
  const below = subtreeIds(nodes, node.id).size - 1;
  const parentRetired = !!nodes.find((n) => n.id === node.parentId)?.retiredAt;
  const { run, busyKey } = useWrite(({ write }: { key: string; write: () => Promise<unknown> }) => write(), {
    invalidate: [adminKeys.org, referenceKeys.org],
    onError: (text, error) => {
      message.error(text);
      if (isConflict(error)) reload();
    },
    busyKey: (v) => v.key,
  });
  const retire = async () => {
    const ok = await confirm({
      title: t('console.org.retireTitle', { name: node.name }),
      content: t('console.org.retireWhat', { n: below }),
      okText: t('console.org.retire'),
      danger: true,
      reversible: true,
    });
    if (ok) void run({ key: 'retire', write: () => orgAdminApi.retire(node) });
  };
  const restore = async () => {
    const ok = await confirm({
      title: t('console.org.restoreTitle', { name: node.name }),
      content: t('console.org.restoreWhat', { n: retiredWith(nodes, node).length - 1 }),
      okText: t('console.org.restore'),
      reversible: true,
    });
    if (ok) void run({ key: 'restore', write: () => orgAdminApi.restore(node) });
  };
  const remove = async () => {
    const ok = await confirm({
      title: t('console.org.deleteTitle', { name: node.name }),
      content: t('console.org.deleteWhat'),
      okText: t('console.remove'),
      danger: true,
    });
    if (ok && (await run({ key: 'delete', write: () => orgAdminApi.remove(node.id) }))) onGone();
  };
  return (
    <Card size="small" title={node.name} data-testid="org-actions">
      <Typography.Paragraph type="secondary">
        {t(`console.org.levels.${node.level}`)}
        {node.retiredAt && ` · ${t('console.org.retiredAt', { time: formatDateTime(node.retiredAt) })}`}
      </Typography.Paragraph>
      {node.retiredAt && (
        <Space wrap>
          <Button
            type="primary"
            onClick={restore}
            disabled={parentRetired}
            loading={busyKey === 'restore'}
            data-testid="org-restore"
          >
            {t('console.org.restore')}
          </Button>
          {parentRetired && <Typography.Text type="secondary">{t('console.org.parentRetired')}</Typography.Text>}
        </Space>
      )}
      {!node.retiredAt && (
        <Space wrap>
          {canAddChild(node) && child && (
            <Button type="primary" onClick={() => onEdit({ kind: 'add', node })} data-testid="org-add">
              {t('console.org.add', { level: t(`console.org.levels.${child}`) })}
            </Button>
          )}
          <Button onClick={() => onEdit({ kind: 'rename', node })} data-testid="org-rename">
            {t('console.org.rename')}
          </Button>
          {node.parentId && moveTargets(nodes, node).length > 0 && (
            <Button onClick={() => onEdit({ kind: 'move', node })} data-testid="org-move">
              {t('console.org.move')}
            </Button>
          )}
          <Button danger onClick={retire} loading={busyKey === 'retire'} data-testid="org-retire">
            {t('console.org.retire')}
          </Button>
          <Button danger onClick={remove} loading={busyKey === 'delete'} data-testid="org-delete">
            {t('console.remove')}
          </Button>
        </Space>
      )}
    </Card>
  );
}

function NodeForm({
  editing,
  nodes,
  onClose,
}: {
  editing: NonNullable<Editing>;
  nodes: AdminOrgNode[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reload = useReloadTree();
  const { kind, node } = editing;
  const { run, busy, error } = useWrite(
    (v: { name?: string; parentId?: string }) =>
      kind === 'add'
        ? orgAdminApi.create(node.id, v.name!.trim())
        : kind === 'rename'
          ? orgAdminApi.rename(node, v.name!.trim())
          : orgAdminApi.move(node, v.parentId!),
    {
      invalidate: [adminKeys.org, referenceKeys.org],
      onSuccess: onClose,
      // The form was filled in on a node that has changed: close it, say so, and show the tree as it is now.
      onError: (text, e) => {
        if (!isConflict(e)) return;
        message.error(text);
        reload();
        onClose();
      },
    },
  );
  const child = childLevel(node.level);
  const title =
    kind === 'add'
      ? t('console.org.addUnder', { level: t(`console.org.levels.${child}`), name: node.name })
      : kind === 'rename'
        ? t('console.org.rename')
        : t('console.org.moveTitle', { name: node.name });
  return (
    <Modal open title={title} onCancel={onClose} footer={null} destroyOnHidden>
      <Form layout="vertical" onFinish={run} initialValues={{ name: kind === 'rename' ? node.name : '' }}>
        {kind === 'move' ? (
          <Form.Item
            name="parentId"
            label={t('console.org.newParent')}
            rules={[{ required: true, message: t('console.org.newParent') }]}
            extra={t('console.org.moveWhat')}
          >
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              data-testid="org-move-parent"
              options={moveTargets(nodes, node).map((n) => ({ value: n.id, label: pathLabel(nodes, n) }))}
            />
          </Form.Item>
        ) : (
          <Form.Item
            name="name"
            label={t('console.org.name')}
            rules={[{ required: true, whitespace: true, message: t('console.org.nameRequired') }]}
          >
            <Input maxLength={100} data-testid="org-name" />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={busy} data-testid="org-save">
          {t('console.save')}
        </Button>
      </Form>
    </Modal>
  );
}
