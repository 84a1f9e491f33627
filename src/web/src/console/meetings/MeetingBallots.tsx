// The meeting's ballots with their counts, refreshed every few seconds while any is open.
import { Link } from 'react-router';
import { Button, Card, Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { BallotCounts } from '../ballots/BallotCounts';
import { ballotsApi, useMeetingBallots } from '../consoleApi';
import { Loaded } from '../ui';
import type { Meeting } from './types';
import { useMeetingAction } from './useMeetingAction';

export function MeetingBallots({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const ballots = useMeetingBallots(meeting.id);
  return (
    <Loaded query={ballots}>
      {(list) =>
        list.length === 0 ? (
          <Empty description={t('console.meetings.noBallots')} />
        ) : (
          list.map((b) => (
            <Card
              key={b.id}
              size="small"
              style={{ marginBottom: 12 }}
              title={<Link to={`/console/ballots/${b.id}`}>{b.title}</Link>}
              extra={
                meeting.canManage &&
                b.isOpen && (
                  <Button
                    size="small"
                    danger
                    loading={busy === b.id}
                    onClick={() =>
                      run(b.id, () => ballotsApi.close(b.id), t('console.ballots.didClose'), {
                        title: t('console.ballots.confirmClose'),
                        content: t('console.ballots.confirmCloseWhat'),
                        danger: true,
                      })
                    }
                  >
                    {t('console.ballots.close')}
                  </Button>
                )
              }
            >
              <BallotCounts ballot={b} />
            </Card>
          ))
        )
      }
    </Loaded>
  );
}
