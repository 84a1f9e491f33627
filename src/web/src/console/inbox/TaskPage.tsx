// One task on its own page (/console/tasks/:id), where a "新任务" notification leads: its matter, its deadline and its form.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Card, Space } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { matterKeys, taskKeys } from '../../shared/queryKeys';
import { TaskForm } from '../../shared/TaskForm';
import { useTask } from '../consoleApi';
import { Due, Loaded, PageTitle } from '../ui';

export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const client = useQueryClient();
  const task = useTask(id);
  const [done, setDone] = useState(false);
  return (
    <Loaded query={task}>
      {(tk) => (
        <>
          <PageTitle extra={<Link to="/console">{t('console.task.back')}</Link>}>{tk.title}</PageTitle>
          <Card data-testid="task-page">
            <Space direction="vertical" size="middle" style={{ width: '100%' }}>
              {tk.matter && (
                <Link to={`/console/matters/${tk.matter.id}`}>
                  {t('console.inbox.openMatter')}：{tk.matter.title}
                </Link>
              )}
              {tk.status === 'open' && <Due at={tk.dueAt} overdue={tk.overdue} />}
              {done || tk.status !== 'open' ? (
                <Alert type="success" showIcon title={t(done ? 'console.task.done' : 'console.task.notOpen')} />
              ) : (
                <TaskForm
                  task={tk}
                  onCompleted={() => {
                    setDone(true);
                    void client.invalidateQueries({ queryKey: taskKeys.all });
                    void client.invalidateQueries({ queryKey: matterKeys.all });
                  }}
                />
              )}
            </Space>
          </Card>
        </>
      )}
    </Loaded>
  );
}
