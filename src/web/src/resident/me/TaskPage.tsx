import { useState } from 'react';
import { useParams } from 'react-router';
import { Alert } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { taskKeys } from '../../shared/queryKeys';
import { TaskForm } from '../../shared/TaskForm';
import { useTask } from '../residentApi';
import { Card, Loaded } from '../ui';

export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const client = useQueryClient();
  const task = useTask(id);
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
                void client.invalidateQueries({ queryKey: taskKeys.all });
              }}
            />
          )}
        </Card>
      )}
    </Loaded>
  );
}
