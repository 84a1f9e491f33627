// 协同办事: work items the person works on or oversees, with deadlines and progress.
import { Link, useSearchParams } from 'react-router';
import { Progress, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Due, Loaded, PageTitle, TABLE_SCROLL } from '../ui';
import { useWorkItems } from '../consoleApi';
import type { WorkItemSummary } from './types';

export const WORK_STATUSES = ['open', 'inProgress', 'done', 'overdue'] as const;

export function WorkItemsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const items = useWorkItems(status);
  return (
    <>
      <PageTitle
        extra={
          <Select
            allowClear
            placeholder={t('console.work.status')}
            style={{ width: 160 }}
            value={status}
            onChange={(v) => setParams(v ? { status: v } : {})}
            options={WORK_STATUSES.map((s) => ({ value: s, label: t(`console.work.statuses.${s}`) }))}
          />
        }
      >
        {t('console.menu.workItems')}
      </PageTitle>
      <Loaded query={items}>
        {(page) => (
          <Table<WorkItemSummary>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={page.items}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="work-items"
            columns={[
              {
                title: t('console.work.title'),
                render: (_, w) => <Link to={`/console/work-items/${w.id}`}>{w.title}</Link>,
              },
              {
                title: t('console.work.matter'),
                render: (_, w) =>
                  w.matter ? <Link to={`/console/matters/${w.matter.id}`}>{w.matter.title}</Link> : '—',
              },
              {
                title: t('console.work.unit'),
                render: (_, w) => (
                  <>
                    {w.responsibleUnit} <Tag>{w.levelName}</Tag>
                  </>
                ),
              },
              {
                title: t('console.work.status'),
                render: (_, w) => (
                  <Tag color={w.status === 'done' ? 'green' : w.overdue ? 'red' : 'blue'}>
                    {t(`console.work.statuses.${w.status}`)}
                  </Tag>
                ),
              },
              {
                title: t('console.work.progress'),
                render: (_, w) => <Progress percent={w.progress} size="small" style={{ width: 120 }} />,
              },
              {
                title: t('console.work.deadline'),
                render: (_, w) => <Due at={w.deadline} overdue={w.overdue} dueDate={w.dueDate} doneAt={w.doneAt} />,
              },
            ]}
          />
        )}
      </Loaded>
      <Space />
    </>
  );
}
