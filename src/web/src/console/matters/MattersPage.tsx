// 事项看板: every matter the person may see, filtered by step, grid, category, overdue and words in the title.
import { Link, useSearchParams } from 'react-router';
import { Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import type { MatterSummary } from '../../shared/types';
import { Loaded, PageTitle, StepTag, TABLE_SCROLL } from '../ui';
import { STEPS, useCategories, useMatterBoard, useOrg } from '../consoleApi';

export function MattersPage() {
  const { t } = useTranslation();
  // Filters live in the address, so a filtered board can be bookmarked and shared.
  const [params, setParams] = useSearchParams();
  const filter = (name: string) => params.get(name) ?? undefined;
  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== 'page') next.delete('page');
    setParams(next);
  };
  const query = new URLSearchParams();
  for (const name of ['step', 'gridId', 'category', 'overdue', 'q', 'page'])
    if (params.get(name)) query.set(name, params.get(name)!);
  query.set('pageSize', '20');
  const matters = useMatterBoard(query.toString());
  const categories = useCategories();
  const grids = (useOrg().data ?? []).filter((n) => n.level === 'grid');

  return (
    <>
      <PageTitle>{t('console.menu.matters')}</PageTitle>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('console.matters.step')}
          style={{ width: 140 }}
          value={filter('step')}
          onChange={(v) => set('step', v)}
          options={STEPS.map((s) => ({ value: s, label: t(`console.steps.${s}`) }))}
          data-testid="filter-step"
        />
        <Select
          allowClear
          placeholder={t('console.matters.grid')}
          style={{ width: 160 }}
          value={filter('gridId')}
          onChange={(v) => set('gridId', v)}
          options={grids.map((g) => ({ value: g.id, label: g.name }))}
        />
        <Select
          allowClear
          placeholder={t('console.matters.category')}
          style={{ width: 140 }}
          value={filter('category')}
          onChange={(v) => set('category', v)}
          options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
        />
        <Space>
          <Switch
            checked={params.get('overdue') === 'true'}
            onChange={(on) => set('overdue', on ? 'true' : undefined)}
          />
          {t('console.matters.overdueOnly')}
        </Space>
        <Input.Search
          allowClear
          placeholder={t('console.matters.search')}
          defaultValue={filter('q')}
          onSearch={(v) => set('q', v || undefined)}
          style={{ width: 220 }}
        />
      </Space>
      <Loaded query={matters}>
        {(page) => (
          <Table<MatterSummary>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={page.items}
            data-testid="matters-board"
            pagination={{
              current: page.page,
              pageSize: page.pageSize,
              total: page.total,
              onChange: (p) => set('page', String(p)),
              showSizeChanger: false,
            }}
            columns={[
              {
                title: t('console.matters.title'),
                render: (_, m) => <Link to={`/console/matters/${m.id}`}>{m.title}</Link>,
              },
              { title: t('console.matters.step'), render: (_, m) => <StepTag step={m.step} name={m.stepName} /> },
              { title: t('console.matters.category'), dataIndex: 'categoryName' },
              { title: t('console.matters.grid'), render: (_, m) => m.grid.name },
              {
                title: t('console.matters.triage'),
                render: (_, m) => (m.triage ? t(`console.triage.${m.triage}`) : '—'),
              },
              { title: t('console.matters.raisedAt'), render: (_, m) => formatDateTime(m.raisedAt) },
              { title: '', render: (_, m) => (m.overdue ? <Tag color="red">{t('common.overdue')}</Tag> : null) },
            ]}
          />
        )}
      </Loaded>
      <Typography.Text type="secondary">{t('console.matters.total', { n: matters.data?.total ?? 0 })}</Typography.Text>
    </>
  );
}
