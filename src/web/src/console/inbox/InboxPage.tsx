// 待办: the open tasks of the signed-in person's roles and scopes, soonest deadline first; complete one with its form. Below them, the
// unfinished work items the person works on (e.g. everything given to 物业 for the property company), each opening its page.
import { useState } from 'react';
import { Link } from 'react-router';
import { App, Drawer, Progress, Segmented, Table, Tag, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { TaskForm } from '../../shared/TaskForm';
import { matterKeys, taskKeys } from '../../shared/queryKeys';
import type { InboxTask } from '../../shared/types';
import { useAuth } from '../../shared/auth';
import { MEETING_ORGANISERS } from '../access';
import { useDraftMeetings, useInbox, useMyWorkItems } from '../consoleApi';
import type { MeetingSummary } from '../meetings/types';
import type { WorkItemSummary } from '../workitems/types';
import { Due, Loaded, PageTitle } from '../ui';

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
  const workItems = useMyWorkItems();
  const { me } = useAuth();
  // A workflow puts matters on draft meetings: those who organise meetings prepare them from here.
  const organiser = !!me?.roles.some((g) => MEETING_ORGANISERS.includes(g.role));
  const drafts = useDraftMeetings(organiser);

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
                        {formatDateTime(task.completedAt)} <Tag>{task.outcome}</Tag>
                      </>
                    ),
                  },
            ]}
          />
        )}
      </Loaded>
      {status === 'open' && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('console.inbox.workItems')}
          </Typography.Title>
          <Loaded query={workItems}>
            {(list) => (
              <Table<WorkItemSummary>
                rowKey="id"
                dataSource={list.items}
                data-testid="inbox-work-items"
                pagination={{ pageSize, hideOnSinglePage: true, showSizeChanger: false }}
                locale={{ emptyText: t('console.inbox.workItemsEmpty') }}
                columns={[
                  {
                    title: t('console.inbox.workItems'),
                    render: (_, item) => (
                      <Link to={`/console/work-items/${item.id}`} data-testid="inbox-work-item">
                        {item.title}
                      </Link>
                    ),
                  },
                  {
                    title: t('console.inbox.matter'),
                    render: (_, item) =>
                      item.matter ? <Link to={`/console/matters/${item.matter.id}`}>{item.matter.title}</Link> : '—',
                  },
                  { title: t('console.inbox.responsibleUnit'), dataIndex: 'responsibleUnit' },
                  {
                    title: t('console.inbox.progress'),
                    render: (_, item) => <Progress percent={item.progress} size="small" style={{ width: 120 }} />,
                  },
                  {
                    title: t('console.inbox.due'),
                    render: (_, item) => <Due at={item.deadline} overdue={item.overdue} />,
                  },
                ]}
              />
            )}
          </Loaded>
        </>
      )}
      {status === 'open' && organiser && (
        <>
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            {t('console.inbox.drafts')}
          </Typography.Title>
          <Loaded query={drafts}>
            {(list) => (
              <Table<MeetingSummary>
                rowKey="id"
                dataSource={list.items}
                data-testid="inbox-drafts"
                pagination={{ pageSize, hideOnSinglePage: true, showSizeChanger: false }}
                locale={{ emptyText: t('console.inbox.draftsEmpty') }}
                columns={[
                  {
                    title: t('console.inbox.meeting'),
                    render: (_, m) => <Link to={`/console/meetings/${m.id}`}>{m.title}</Link>,
                  },
                  { title: t('console.inbox.startsAt'), render: (_, m) => formatDateTime(m.startsAt) },
                  { title: t('console.inbox.agendaItems'), dataIndex: 'agendaItems' },
                ]}
              />
            )}
          </Loaded>
        </>
      )}
      <Drawer open={!!open} onClose={() => setOpen(null)} size={520} title={open?.title} destroyOnHidden>
        {open && (
          <>
            {open.matter && (
              <p>
                <Link to={`/console/matters/${open.matter.id}`}>{t('console.inbox.openMatter')}</Link>
              </p>
            )}
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
