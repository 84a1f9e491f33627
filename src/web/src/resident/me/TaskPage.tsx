import { useState } from 'react';
import { useParams } from 'react-router';
import { Alert } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import { TaskForm } from '../../shared/TaskForm';
import type { InboxTask } from '../../shared/types';
import { Card, Loaded } from '../ui';

export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const client = useQueryClient();
  const task = useQuery({ queryKey: ['tasks', id], queryFn: () => api.get<InboxTask>(`/api/tasks/${id}`) });
  const [done, setDone] = useState(false);
  return (
    <Loaded query={task}>
      {(tk) => (
        <Card title={tk.title}>
          {done || tk.status !== 'open' ? (
            <Alert type="success" showIcon title={t('resident.task.done')} />
          ) : (
            <TaskForm
              task={tk}
              onCompleted={() => {
                setDone(true);
                void client.invalidateQueries({ queryKey: ['tasks'] });
              }}
            />
          )}
        </Card>
      )}
    </Loaded>
  );
}
