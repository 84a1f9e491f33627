// 待办: the open tasks of the signed-in person's roles and scopes, soonest deadline first; complete one with its form.
import { useState } from 'react';
import { Link } from 'react-router';
import { App, Descriptions, Drawer, Image, Segmented, Table, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { TaskForm } from '../../shared/TaskForm';
import { matterKeys, taskKeys } from '../../shared/queryKeys';
import type { InboxTask } from '../../shared/types';
import { useInbox, useMatter } from '../consoleApi';
import { Due, Loaded, PageTitle, TABLE_SCROLL } from '../ui';

const pageSize = 20;

export function InboxPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [status, setStatus] = useState<'open' | 'completed'>('open');
  const [page, setPage] = useState(1);
  // The server pages the inbox: a grid worker's can hold thousands of open tasks.
  const tasks = useInbox(status, page, pageSize);
  const [open, setOpen] = useState<InboxTask | null>(null);

  return (
    <>
      <PageTitle
        extra={
          <Segmented
            value={status}
            onChange={(v) => {
              setStatus(v as 'open' | 'completed');
              setPage(1);
            }}
            options={[
              { value: 'open', label: t('console.inbox.open') },
              { value: 'completed', label: t('console.inbox.completed') },
            ]}
          />
        }
      >
        {t('console.menu.inbox')}
      </PageTitle>
      <Loaded query={tasks}>
        {(list) => (
          <Table<InboxTask>
            rowKey="id"
            dataSource={list.items}
            data-testid="inbox"
            scroll={TABLE_SCROLL}
            pagination={{
              current: page,
              pageSize,
              total: list.total,
              onChange: setPage,
              hideOnSinglePage: true,
              showSizeChanger: false,
            }}
            locale={{ emptyText: t('console.inbox.empty') }}
            columns={[
              {
                title: t('console.inbox.task'),
                render: (_, task) => (
                  <Typography.Link onClick={() => status === 'open' && setOpen(task)} data-testid="inbox-task">
                    {task.title}
                  </Typography.Link>
                ),
              },
              {
                title: t('console.inbox.matter'),
                render: (_, task) =>
                  task.matter ? <Link to={`/console/matters/${task.matter.id}`}>{task.matter.title}</Link> : '—',
              },
              {
                title: t('console.inbox.role'),
                render: (_, task) => (
                  <>
                    {task.roleName}
                    {task.scope && <Typography.Text type="secondary"> · {task.scope.name}</Typography.Text>}
                  </>
                ),
              },
              status === 'open'
                ? { title: t('console.inbox.due'), render: (_, task) => <Due at={task.dueAt} overdue={task.overdue} /> }
                : {
                    title: t('console.inbox.completedAt'),
                    render: (_, task) => (
                      <>
                        {formatDateTime(task.completedAt)}{' '}
                        <Tag>{task.outcomes.find((o) => o.name === task.outcome)?.label ?? task.outcome}</Tag>
                      </>
                    ),
                  },
            ]}
          />
        )}
      </Loaded>
      <Drawer open={!!open} onClose={() => setOpen(null)} size="min(520px, 100vw)" title={open?.title} destroyOnHidden>
        {open && (
          <>
            {open.matter && <RaisedMatter id={open.matter.id} />}
            <p>
              <Due at={open.dueAt} overdue={open.overdue} />
            </p>
            <TaskForm
              task={open}
              onCompleted={(done) => {
                setOpen(null);
                message.success(
                  t('common.taskDone', {
                    outcome: open.outcomes.find((o) => o.name === done.outcome)?.label ?? done.outcome,
                  }),
                );
                void client.invalidateQueries({ queryKey: taskKeys.all });
                void client.invalidateQueries({ queryKey: matterKeys.all });
              }}
            />
          </>
        )}
      </Drawer>
    </>
  );
}

/** What the resident wrote, where, and their photos: what the person acting on the task needs in front of them. */
function RaisedMatter({ id }: { id: string }) {
  const { t } = useTranslation();
  const matter = useMatter(id);
  return (
    <Loaded query={matter}>
      {(m) => (
        <div data-testid="task-matter" style={{ marginBottom: 16 }}>
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'c', label: t('console.matters.category'), children: m.categoryName },
              {
                key: 'p',
                label: t('console.matters.place'),
                children: [m.community.name, m.grid.name, m.building?.name, m.location].filter(Boolean).join(' / '),
              },
              {
                key: 'r',
                label: t('console.matters.raisedBy'),
                children: `${m.raisedBy.name}${m.contactPhone ? ` · ${m.contactPhone}` : ''} · ${formatDateTime(m.raisedAt)}`,
              },
              {
                key: 'd',
                label: t('console.matters.description'),
                children: <span style={{ whiteSpace: 'pre-wrap' }}>{m.description}</span>,
              },
            ]}
          />
          {m.photos.length > 0 && (
            <Image.PreviewGroup>
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 8 }} data-testid="task-photos">
                {m.photos.map((p) => (
                  <Image
                    key={p.id}
                    src={p.url}
                    width={96}
                    height={72}
                    style={{ objectFit: 'cover' }}
                    alt={p.fileName}
                  />
                ))}
              </div>
            </Image.PreviewGroup>
          )}
          <p style={{ marginTop: 8 }}>
            <Link to={`/console/matters/${m.id}`}>{t('console.inbox.openMatter')}</Link>
          </p>
        </div>
      )}
    </Loaded>
  );
}
