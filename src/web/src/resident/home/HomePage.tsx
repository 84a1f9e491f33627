import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime, formatUntil } from '../../shared/format';
import { Card, Empty, LinkButton, Loaded } from '../ui';
import { useMyMatters, useMyTasks, useOpenBallots, useOpenRatings } from '../residentApi';
import { MatterRow } from '../matters/MatterRow';
import { keptReceiptFor } from '../vote/receipts';
import { LargeTextOffer } from '../largeText/LargeTextToggle';

/** What waits for the resident: open ballots, results to rate, tasks; then their latest matters. */
export function HomePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const ballots = useOpenBallots();
  const ratings = useOpenRatings();
  const tasks = useMyTasks();
  const matters = useMyMatters(3);
  const nothing = ballots.data?.length === 0 && ratings.data?.length === 0 && tasks.data?.length === 0;

  return (
    <>
      <LargeTextOffer />
      <Card title={t('resident.home.greeting', { name: me?.displayName ?? '' })}>
        <p className="m-muted" style={{ marginTop: 0 }}>
          {t('resident.home.raiseHint')}
        </p>
        <LinkButton to="/m/raise" testId="home-raise">
          {t('resident.tab.raise')}
        </LinkButton>
      </Card>
      <Card title={t('resident.home.todo')} testId="home-todo">
        <Loaded query={ballots}>
          {(list) =>
            list.map((b) => (
              <Link key={b.id} to={`/m/ballots/${b.id}`} className="m-row" data-testid="home-ballot">
                <div className="m-row-title">
                  <span>{b.title}</span>
                  {keptReceiptFor(me?.id ?? '', b.id) ? (
                    <span className="m-tag green">{t('resident.ballot.voted')}</span>
                  ) : (
                    <span className="m-tag">{t('resident.ballot.vote')}</span>
                  )}
                </div>
                <div className="m-muted">{t('resident.ballot.closesAt', { time: formatUntil(b.closesAt) })}</div>
              </Link>
            ))
          }
        </Loaded>
        <Loaded query={ratings}>
          {(list) =>
            list.map((r) => (
              <Link key={r.roundId} to={`/m/rate/${r.matter.id}`} className="m-row" data-testid="home-rating">
                <div className="m-row-title">
                  <span>{r.matter.title}</span>
                  <span className="m-tag">{t('resident.rate.title')}</span>
                </div>
                <div className="m-muted">{t('resident.rate.closesAt', { time: formatDateTime(r.closesAt) })}</div>
              </Link>
            ))
          }
        </Loaded>
        <Loaded query={tasks}>
          {(list) =>
            list.map((task) => (
              <Link key={task.id} to={`/m/tasks/${task.id}`} className="m-row">
                <div className="m-row-title">
                  <span>{task.title}</span>
                  <span className="m-tag grey">{t('resident.task.title')}</span>
                </div>
              </Link>
            ))
          }
        </Loaded>
        {nothing && <Empty>{t('resident.home.nothingToDo')}</Empty>}
      </Card>
      <Card title={t('resident.home.recent')}>
        <Loaded query={matters}>
          {(page) =>
            page.items.length ? (
              page.items.map((m) => <MatterRow key={m.id} matter={m} />)
            ) : (
              <Empty>{t('resident.matters.none')}</Empty>
            )
          }
        </Loaded>
      </Card>
    </>
  );
}
