// 业主名册: the owners' register of a community, kept by its owners' committee, property company and administrators.
// Upload a spreadsheet → a dry run (totals, the diff, every problem by row and column) → 确认导入 only without
// problems; the template, the export, the units by building with search, the import history, and (for the owners'
// committee and administrators) the invitation letters of each building.
import { useMemo, useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Select, Space, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { saveFile } from '../../shared/download';
import { useConfirm } from '../../shared/confirm';
import { formatDateTime } from '../../shared/format';
import { registerKeys } from '../../shared/queryKeys';
import type { OrgNode } from '../../shared/types';
import { useWrite } from '../../shared/useWrite';
import { REGISTER_KEEPERS } from '../access';
import {
  registerApi,
  useOrg,
  useRegisterImports,
  useRegisterUnits,
  type RegisterImport,
  type RegisterPreview,
  type RegisterUnit,
} from '../consoleApi';
import { DESCRIPTION_COLUMNS, Loaded, PageTitle, TABLE_SCROLL } from '../ui';

/** The communities where the caller keeps the register: a keeper's role at the community or above it. */
export function registerCommunities(nodes: OrgNode[], grants: { role: string; orgUnitId: string }[]): OrgNode[] {
  const kept = new Set(grants.filter((g) => REGISTER_KEEPERS.includes(g.role)).map((g) => g.orgUnitId));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const keptAtOrAbove = (n: OrgNode | undefined): boolean =>
    !!n && (kept.has(n.id) || keptAtOrAbove(byId.get(n.parentId ?? '')));
  return nodes.filter((n) => n.level === 'community' && keptAtOrAbove(n));
}

export function RegisterPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const org = useOrg();
  const communities = useMemo(() => registerCommunities(org.data ?? [], me?.roles ?? []), [org.data, me]);
  const [chosen, setChosen] = useState<string | null>(null);
  const communityId = chosen ?? communities[0]?.id ?? '';
  // LettersApi.MayPrint: the owners' committee of the community or an administrator over it.
  const mayPrintLetters = (me?.roles ?? []).some((g) => g.role === 'ownersCommittee' || g.role === 'admin');
  return (
    <>
      <PageTitle
        extra={
          communities.length > 1 && (
            <Select
              value={communityId}
              onChange={setChosen}
              style={{ minWidth: 180 }}
              options={communities.map((c) => ({ value: c.id, label: c.name }))}
              data-testid="register-community"
            />
          )
        }
      >
        {t('console.menu.register')}
        {communities.length === 1 && ` · ${communities[0].name}`}
      </PageTitle>
      <Loaded query={org}>
        {(nodes) =>
          communityId ? (
            <Tabs
              items={[
                {
                  key: 'import',
                  label: t('console.register.import'),
                  children: <RegisterImportTab key={communityId} communityId={communityId} nodes={nodes} />,
                },
                {
                  key: 'units',
                  label: t('console.register.units'),
                  children: <Units key={communityId} communityId={communityId} />,
                },
                {
                  key: 'history',
                  label: t('console.register.history'),
                  children: <History communityId={communityId} />,
                },
                ...(mayPrintLetters
                  ? [
                      {
                        key: 'letters',
                        label: t('console.register.letters'),
                        children: <Letters key={communityId} communityId={communityId} nodes={nodes} />,
                      },
                    ]
                  : []),
              ]}
            />
          ) : (
            <Typography.Text type="secondary">{t('console.register.noCommunity')}</Typography.Text>
          )
        }
      </Loaded>
    </>
  );
}

function RegisterImportTab({ communityId, nodes }: { communityId: string; nodes: OrgNode[] }) {
  const { t } = useTranslation();
  const grids = nodes.filter((n) => n.level === 'grid' && n.parentId === communityId);
  const [gridId, setGridId] = useState<string | null>(null);
  const [applied, setApplied] = useState<RegisterImport | null>(null);
  const preview = useWrite((file: File) => registerApi.preview(communityId, file, gridId));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card size="small">
        <Space wrap>
          {grids.length > 0 && (
            <Select
              allowClear
              placeholder={t('console.register.gridForNew')}
              value={gridId}
              onChange={(v) => setGridId(v ?? null)}
              style={{ minWidth: 200 }}
              options={grids.map((g) => ({ value: g.id, label: g.name }))}
              data-testid="register-grid"
            />
          )}
          <Upload
            accept=".xlsx,.csv"
            maxCount={1}
            showUploadList={false}
            beforeUpload={(file) => {
              setApplied(null);
              void preview.run(file);
              return false;
            }}
          >
            <Button type="primary" icon={<UploadOutlined />} loading={preview.busy} data-testid="register-upload">
              {t('console.register.upload')}
            </Button>
          </Upload>
          <Button href={registerApi.templateUrl} data-testid="register-template">
            {t('console.register.template')}
          </Button>
          <Button href={registerApi.exportUrl(communityId)} data-testid="register-export">
            {t('console.register.export')}
          </Button>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('console.register.uploadHelp')}
        </Typography.Paragraph>
      </Card>
      {preview.error && <Alert type="error" showIcon title={preview.error} data-testid="register-error" />}
      {applied && (
        <Alert
          type="success"
          showIcon
          data-testid="register-applied"
          title={t('console.register.applied', {
            n: applied.sequence,
            added: applied.added,
            changed: applied.changed,
            removed: applied.removed,
          })}
        />
      )}
      {preview.data && !applied && (
        <RegisterPreviewView
          communityId={communityId}
          preview={preview.data}
          onApplied={(result) => {
            setApplied(result);
            preview.reset();
          }}
        />
      )}
    </Space>
  );
}

/** The dry run: totals in force and in the file, the counts and diff, every problem; 确认导入 only without problems. */
export function RegisterPreviewView({
  communityId,
  preview,
  onApplied,
}: {
  communityId: string;
  preview: RegisterPreview;
  onApplied: (result: RegisterImport) => void;
}) {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const apply = useWrite(
    // The server applies a preview that retires many units (or any, from an empty file) only with their number confirmed.
    () => registerApi.apply(communityId, preview.id, preview.removalsNeedConfirmation ? preview.removed : undefined),
    {
      invalidate: [registerKeys.all(communityId)],
      onSuccess: onApplied,
    },
  );
  const problems = preview.problems.length;
  const nothing = preview.added + preview.changed + preview.removed === 0;
  const go = async () => {
    const ok = await confirm({
      title: t('console.register.applyTitle'),
      content: t('console.register.applyWhat', {
        added: preview.added,
        changed: preview.changed,
        removed: preview.removed,
      }),
      okText: t('console.register.apply'),
    });
    if (!ok) return;
    // A second, explicit question before retiring a large share of the register: its number is what the server checks.
    if (
      preview.removalsNeedConfirmation &&
      !(await confirm({
        title: t('console.register.confirmRemovalsTitle', { removed: preview.removed }),
        content: `${preview.removalWarning ?? ''}${t('console.register.confirmRemovals', { removed: preview.removed })}`,
        okText: t('console.register.confirmRemovalsOk', { removed: preview.removed }),
        danger: true,
      }))
    )
      return;
    void apply.run();
  };
  return (
    <Card
      size="small"
      title={t('console.register.previewOf', { file: preview.fileName })}
      data-testid="register-preview"
    >
      <Descriptions size="small" column={DESCRIPTION_COLUMNS} bordered>
        <Descriptions.Item label={t('console.register.rows')}>{preview.rows}</Descriptions.Item>
        <Descriptions.Item label={t('console.register.unitsTotal')}>
          {t('console.register.inForceVsFile', { now: preview.current.units, file: preview.totals.units })}
        </Descriptions.Item>
        <Descriptions.Item label={t('console.register.heads')}>
          {t('console.register.inForceVsFile', { now: preview.current.heads, file: preview.totals.heads })}
        </Descriptions.Item>
        <Descriptions.Item label={t('console.register.area')}>
          {t('console.register.inForceVsFile', {
            now: Number(preview.current.area).toFixed(2),
            file: Number(preview.totals.area).toFixed(2),
          })}
        </Descriptions.Item>
        <Descriptions.Item label={t('console.register.changes')}>
          <span data-testid="register-counts">
            {t('console.register.counts', {
              added: preview.added,
              changed: preview.changed,
              removed: preview.removed,
              unchanged: preview.unchanged,
            })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('console.register.expiresAt')}>
          {formatDateTime(preview.expiresAt)}
        </Descriptions.Item>
      </Descriptions>
      {preview.removalWarning && (
        <Alert
          type={preview.removalsNeedConfirmation ? 'error' : 'warning'}
          showIcon
          style={{ marginTop: 12 }}
          title={preview.removalWarning}
          data-testid="register-removal-warning"
        />
      )}
      {preview.newBuildings.length > 0 && (
        <Typography.Paragraph style={{ marginTop: 12 }}>
          {t('console.register.newBuildings', { list: preview.newBuildings.join('、') })}
        </Typography.Paragraph>
      )}
      {problems > 0 && (
        <>
          <Alert
            type="error"
            showIcon
            style={{ margin: '12px 0' }}
            title={t('console.register.hasProblems', { n: problems })}
            data-testid="register-has-problems"
          />
          <Table
            size="small"
            rowKey={(p) => `${p.row}-${p.column}-${p.code}`}
            dataSource={preview.problems}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="register-problems"
            columns={[
              { title: t('console.register.row'), dataIndex: 'row', width: 80 },
              { title: t('console.register.column'), dataIndex: 'column', width: 140 },
              { title: t('console.register.problem'), dataIndex: 'message' },
            ]}
          />
        </>
      )}
      {preview.diff.length > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('console.register.diff')}
          </Typography.Title>
          <Table
            size="small"
            scroll={TABLE_SCROLL}
            rowKey={(d) => `${d.change}-${d.building}-${d.number}`}
            dataSource={preview.diff}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="register-diff"
            columns={[
              {
                title: t('console.register.change'),
                width: 90,
                render: (_, d) => (
                  <Tag color={d.change === 'added' ? 'green' : d.change === 'removed' ? 'red' : 'blue'}>
                    {t(`console.register.changeKinds.${d.change}`, { defaultValue: d.change })}
                  </Tag>
                ),
              },
              { title: t('console.register.building'), dataIndex: 'building' },
              { title: t('console.register.number'), dataIndex: 'number' },
              { title: t('console.register.before'), render: (_, d) => d.before ?? '—' },
              { title: t('console.register.after'), render: (_, d) => d.after ?? '—' },
            ]}
          />
          {preview.diffTruncated && (
            <Typography.Text type="secondary">
              {t('console.register.diffTruncated', { n: preview.diff.length })}
            </Typography.Text>
          )}
        </>
      )}
      {apply.error && <Alert type="error" showIcon title={apply.error} style={{ marginTop: 12 }} />}
      <div style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={problems > 0 || nothing}
          loading={apply.busy}
          onClick={go}
          data-testid="register-apply"
        >
          {t('console.register.apply')}
        </Button>
        {nothing && problems === 0 && (
          <Typography.Text type="secondary" style={{ marginLeft: 12 }}>
            {t('console.register.nothingToApply')}
          </Typography.Text>
        )}
      </div>
    </Card>
  );
}

function Units({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const [building, setBuilding] = useState('');
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const units = useRegisterUnits(communityId, building, search, page);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={t('console.register.building')}
          onSearch={(v) => {
            setBuilding(v.trim());
            setPage(1);
          }}
          style={{ width: 160 }}
          data-testid="register-building"
        />
        <Input.Search
          allowClear
          placeholder={t('console.register.search')}
          onSearch={(v) => {
            setSearch(v.trim());
            setPage(1);
          }}
          style={{ width: 240 }}
          data-testid="register-search"
        />
      </Space>
      <Loaded query={units}>
        {(result) => (
          <Table<RegisterUnit>
            size="small"
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={result.items}
            data-testid="register-units"
            pagination={{
              current: page,
              pageSize: result.pageSize,
              total: result.total,
              onChange: setPage,
              showSizeChanger: false,
              hideOnSinglePage: true,
            }}
            columns={[
              { title: t('console.register.building'), dataIndex: 'building' },
              { title: t('console.register.number'), dataIndex: 'number' },
              { title: t('console.register.area'), render: (_, u) => Number(u.area).toFixed(2) },
              {
                title: t('console.register.owners'),
                render: (_, u) =>
                  u.developerUnsold ? <Tag>{t('console.register.developerUnsold')}</Tag> : u.owners.join('、') || '—',
              },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}

/** The buildings under the community, by the order of their names (1号楼, 2号楼 … 10号楼). */
function buildingsOf(nodes: OrgNode[], communityId: string): OrgNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const under = (n: OrgNode | undefined): boolean => !!n && (n.id === communityId || under(byId.get(n.parentId ?? '')));
  return nodes
    .filter((n) => n.level === 'building' && under(n))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }));
}

/**
 * 邀请函: one page per unit with a QR code and a one-time activation code, for owners without the app. Printing again
 * makes the letters not yet used stop working (the server says so too), so it asks first.
 */
function Letters({ communityId, nodes }: { communityId: string; nodes: OrgNode[] }) {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const buildings = buildingsOf(nodes, communityId);
  const { run, busyKey, error } = useWrite(
    async (building: OrgNode) => {
      const pdf = await registerApi.letters(building.id);
      saveFile(t('console.register.lettersFile', { building: building.name }), pdf);
    },
    { busyKey: (b) => b.id },
  );
  const print = async (building: OrgNode) => {
    const ok = await confirm({
      title: t('console.register.lettersTitle', { building: building.name }),
      content: t('console.register.lettersWhat'),
      okText: t('console.register.lettersPrint'),
    });
    if (ok) void run(building);
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph type="secondary">{t('console.register.lettersIntro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<OrgNode>
        size="small"
        rowKey="id"
        dataSource={buildings}
        pagination={false}
        data-testid="register-letters"
        columns={[
          { title: t('console.register.building'), dataIndex: 'name' },
          {
            title: '',
            render: (_, b) => (
              <Button onClick={() => print(b)} loading={busyKey === b.id} data-testid={`letters-${b.name}`}>
                {t('console.register.lettersPrint')}
              </Button>
            ),
          },
        ]}
      />
    </Space>
  );
}

function History({ communityId }: { communityId: string }) {
  const { t } = useTranslation();
  const imports = useRegisterImports(communityId);
  return (
    <Loaded query={imports}>
      {(list) => (
        <Table<RegisterImport>
          size="small"
          scroll={TABLE_SCROLL}
          rowKey="id"
          dataSource={list}
          pagination={false}
          data-testid="register-history"
          columns={[
            { title: t('console.register.sequence'), dataIndex: 'sequence', width: 70 },
            { title: t('console.register.appliedAt'), render: (_, i) => formatDateTime(i.appliedAt) },
            { title: t('console.register.file'), dataIndex: 'fileName' },
            {
              title: t('console.register.changes'),
              render: (_, i) =>
                t('console.register.countsShort', { added: i.added, changed: i.changed, removed: i.removed }),
            },
            {
              title: t('console.register.unitsTotal'),
              render: (_, i) =>
                t('console.register.totals', {
                  units: i.totals.units,
                  heads: i.totals.heads,
                  area: Number(i.totals.area).toFixed(2),
                }),
            },
          ]}
        />
      )}
    </Loaded>
  );
}
