// The meeting's ballots with their counts, refreshed every few seconds while any is open.
import { Link } from 'react-router';
import { Button, Card, Empty } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api';
import type { Ballot, Paged } from '../../shared/types';
import { BallotCounts } from '../ballots/BallotCounts';
import { Loaded } from '../ui';
import type { Meeting } from './types';
import { useMeetingAction } from './useMeetingAction';

export const LIVE_REFRESH_MS = 3000;

export function MeetingBallots({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { run, busy } = useMeetingAction(meeting.id);
  const ballots = useQuery({
    queryKey: ['ballots', 'meeting', meeting.id],
    queryFn: () => api.get<Paged<Ballot>>(`/api/ballots?meetingId=${meeting.id}&pageSize=100`).then((p) => p.items),
    refetchInterval: (q) => (q.state.data?.some((b) => b.isOpen) ? LIVE_REFRESH_MS : false),
  });
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
                      run(b.id, () => api.post(`/api/ballots/${b.id}/close`), t('console.ballots.didClose'))
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
