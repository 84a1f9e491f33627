import { Link, useNavigate } from 'react-router';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime } from '../../shared/format';
import { Card, Empty, Loaded } from '../ui';
import { useMyTasks } from '../residentApi';
import { keptReceipts } from '../vote/receipts';
import { LargeTextToggle } from '../largeText/LargeTextToggle';

export function MePage() {
  const { t } = useTranslation();
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  const tasks = useMyTasks();
  const receipts = keptReceipts(me?.id ?? '');
  return (
    <>
      <Card title={me?.displayName}>
        <div className="m-muted">
          {t('resident.me.roles')}：{me?.roles.map((g) => `${g.roleName}（${g.orgUnitName}）`).join('、')}
        </div>
      </Card>
      <Card title={t('resident.largeText.title')} testId="large-text">
        <p className="m-muted" style={{ marginTop: 0 }}>
          {t('resident.largeText.hint')}
        </p>
        <LargeTextToggle />
      </Card>
      <Card title={t('resident.me.tasks')}>
        <Loaded query={tasks}>
          {(list) =>
            list.length === 0 ? (
              <Empty>{t('resident.me.noTasks')}</Empty>
            ) : (
              list.map((task) => (
                <Link key={task.id} to={`/m/tasks/${task.id}`} className="m-row">
                  <div className="m-row-title">
                    <span>{task.title}</span>
                    {task.overdue && <span className="m-tag">{t('common.overdue')}</span>}
                  </div>
                  {task.dueAt && <div className="m-muted">{t('common.due', { time: formatDateTime(task.dueAt) })}</div>}
                </Link>
              ))
            )
          }
        </Loaded>
      </Card>
      <Card title={t('resident.me.receipts')} testId="my-receipts">
        {receipts.length === 0 ? (
          <Empty>{t('resident.me.noReceipts')}</Empty>
        ) : (
          receipts.map((r) => (
            <Link key={r.ballotId} to={`/m/ballots/${r.ballotId}`} className="m-row">
              <div className="m-row-title">
                <span>{r.title}</span>
                <code>{r.code}</code>
              </div>
              <div className="m-muted">
                {t('resident.ballot.youChose', { choice: t(`resident.ballot.${r.choice}`) })} · {formatDateTime(r.at)}
              </div>
            </Link>
          ))
        )}
      </Card>
      <Button
        block
        className="m-big"
        danger
        onClick={async () => {
          await signOut();
          navigate('/login', { replace: true });
        }}
        data-testid="sign-out"
      >
        {t('app.signOut')}
      </Button>
    </>
  );
}
