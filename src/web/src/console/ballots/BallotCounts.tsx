// Where a ballot stands: participation against the electorate (no running counts for anyone while it is open,
// issue 15 §8), and once closed the tally with its rule.
import { Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { RuleText } from '../../shared/RuleText';
import { DESCRIPTION_COLUMNS } from '../ui';
import type { Ballot } from '../../shared/types';

const CHOICES = ['agree', 'disagree', 'abstain'] as const;

export function BallotCounts({ ballot }: { ballot: Ballot }) {
  const { t } = useTranslation();
  const owners = ballot.electorate.units > 0;
  const heads = owners ? ballot.electorate.heads : ballot.electorate.present;
  const figures = ballot.result ?? null;
  return (
    <div data-testid="ballot-counts">
      <Space style={{ marginBottom: 8 }} wrap>
        <Tag color={ballot.isOpen ? 'orange' : 'default'}>
          {t(ballot.isOpen ? 'console.ballots.open' : 'console.ballots.closed')}
        </Tag>
        {ballot.outcome && (
          <Tag color={ballot.outcome === 'passed' ? 'green' : 'red'} data-testid="ballot-outcome">
            {t(`console.outcomes.${ballot.outcome}`)}
          </Tag>
        )}
        {ballot.secret && <Tag>{t('console.ballots.secret')}</Tag>}
      </Space>
      <div>
        {t('console.ballots.participation', { n: ballot.participation.heads, of: heads })}
        {owners && ballot.electorate.area ? ` · ${ballot.participation.area ?? 0} / ${ballot.electorate.area} ㎡` : ''}
      </div>
      <Progress percent={heads ? Math.round((ballot.participation.heads / heads) * 100) : 0} size="small" />
      {figures && (
        <Descriptions
          size="small"
          column={DESCRIPTION_COLUMNS}
          style={{ marginTop: 8 }}
          items={CHOICES.map((c) => ({
            key: c,
            label: t(`console.choices.${c}`),
            children: `${figures[c].headcount}${figures[c].area !== null && figures[c].area !== undefined ? ` · ${figures[c].area} ㎡` : ''}`,
          }))}
        />
      )}
      {(figures?.rule ?? ballot.ruleDescription) && <RuleText rule={(figures?.rule ?? ballot.ruleDescription)!} />}
      {ballot.kindName && (
        <div data-testid="ballot-kind">
          {t('console.ballots.kind')}：{ballot.kindName}
        </div>
      )}
      {figures?.deemedCounting ? (
        // Deemed consent: the real turnout and the deemed apart, and where the rules of procedure count the deemed.
        <div data-testid="deemed-apart">
          <div>
            {t('console.ballots.voted', {
              n: figures.deemedCounting.voted.headcount,
              area: figures.deemedCounting.voted.area ?? 0,
              pn: figures.deemedCounting.votedPercent.headcount,
              pa: figures.deemedCounting.votedPercent.area ?? 0,
            })}
          </div>
          <Typography.Text type="secondary">
            {t('console.ballots.deemedApart', { n: figures.deemed?.headcount ?? 0, area: figures.deemed?.area ?? 0 })}{' '}
            {t(
              `console.ballots.deemedCounts.${figures.deemedCounting.towardParticipation}.${figures.deemedCounting.towardThreshold}`,
            )}
          </Typography.Text>
        </div>
      ) : (
        figures?.deemed && (
          <Typography.Text type="secondary">
            {t('console.ballots.deemed', { n: figures.deemed.headcount })}
          </Typography.Text>
        )
      )}
    </div>
  );
}
