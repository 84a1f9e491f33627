// One ballot: turnout while open (no running counts, no one's choice), the result once closed, who took part and how, and for the owners' committee the entry of
// proxy (委托) and paper (纸质) ballots with the written authorisation or the scanned sheet attached.
import { Link, useParams } from 'react-router';
import { Button, Card, Col, Row, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime, formatUntil } from '../../shared/format';
import { ballotsApi, useBallot, useParticipation } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';
import { useMeetingAction } from '../meetings/useMeetingAction';
import { BallotCounts } from './BallotCounts';
import { OnBehalfVote } from './OnBehalfVote';

export interface VoteHistory {
  channel: string;
  proxyName?: string | null;
  castAt: string;
  replacedAt: string;
  choice?: string | null;
}
export interface Participation {
  units: string[];
  member?: string | null;
  area?: number | null;
  channel: string;
  proxyName?: string | null;
  castAt: string;
  choice?: string | null;
  /** The votes this head replaced (staff only); never a secret ballot's choice. */
  history?: VoteHistory[] | null;
}

export function BallotPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { hasRole } = useAuth();
  const ballot = useBallot(id);
  const participation = useParticipation(id, !!ballot.data?.isOpen);
  const { run, busy } = useMeetingAction(ballot.data?.meetingId ?? '');
  return (
    <Loaded query={ballot}>
      {(b) => {
        const owners = b.electorate.units > 0;
        return (
          <>
            <PageTitle
              extra={
                !owners &&
                b.isOpen && (
                  <Button
                    danger
                    loading={busy === 'close'}
                    onClick={() =>
                      run('close', () => ballotsApi.close(b.id), t('console.ballots.didClose'), {
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
              {b.title}
            </PageTitle>
            <Row gutter={16}>
              <Col xs={24} xl={10}>
                <Card size="small" style={{ marginBottom: 16 }}>
                  <p>
                    {b.scope.name} · {formatDateTime(b.opensAt)} – {formatUntil(b.closesAt)}
                    {b.status === 'announced' && (
                      <>
                        {' '}
                        <Tag color="blue">{t('console.ballots.announced')}</Tag>
                      </>
                    )}
                  </p>
                  {b.organiser && (
                    <p data-testid="ballot-organiser">
                      {t('console.ballots.organiser')}：{t(`console.ballots.organiserBody.${b.organiser.body}`)}
                      {b.organiser.name ? `（${b.organiser.name}）` : ''} · {t('console.ballots.announcedAt')}{' '}
                      {formatDateTime(b.announcedAt)}
                    </p>
                  )}
                  {b.meetingId && (
                    <p>
                      <Link to={`/console/meetings/${b.meetingId}`}>{t('console.ballots.meeting')}</Link>
                    </p>
                  )}
                  {b.matterId && (
                    <p>
                      <Link to={`/console/matters/${b.matterId}`}>{t('console.ballots.matter')}</Link>
                    </p>
                  )}
                  {b.proposal && (
                    <div data-testid="ballot-proposal">
                      <p>
                        <b>{t('console.ballots.proposal')}：</b>
                        {b.proposal.text}
                      </p>
                      {b.proposal.reason && (
                        <p>
                          {t('console.ballots.reason')}：{b.proposal.reason}
                        </p>
                      )}
                      {b.proposal.cost != null && (
                        <p>
                          {t('console.ballots.cost')}：
                          {t('console.ballots.costText', { amount: Number(b.proposal.cost).toLocaleString('zh-CN') })}
                        </p>
                      )}
                      {b.proposal.proposedBy && (
                        <p>
                          {t('console.ballots.proposedBy')}：{b.proposal.proposedBy}
                        </p>
                      )}
                    </div>
                  )}
                  {b.description && <p style={{ whiteSpace: 'pre-wrap' }}>{b.description}</p>}
                  <BallotCounts ballot={b} />
                  {b.noticePdf && (
                    <p>
                      <a href={b.noticePdf} target="_blank" rel="noreferrer" data-testid="notice-pdf">
                        {t('console.ballots.noticePdf')}
                      </a>
                    </p>
                  )}
                </Card>
                {owners && b.isOpen && !b.secret && hasRole('ownersCommittee', 'admin') && (
                  <OnBehalfVote ballot={b} voted={participation.data ?? []} />
                )}
              </Col>
              <Col xs={24} xl={14}>
                <Card size="small" title={t('console.ballots.who')}>
                  <Loaded query={participation}>
                    {(list) => (
                      <Table<Participation>
                        scroll={TABLE_SCROLL}
                        rowKey={(p) => `${p.units.join()}${p.member}${p.castAt}`}
                        size="small"
                        dataSource={list}
                        pagination={{ pageSize: 20, hideOnSinglePage: true }}
                        columns={[
                          {
                            title: owners ? t('console.ballots.units') : t('console.ballots.member'),
                            render: (_, p) => (owners ? p.units.join('、') : p.member),
                          },
                          ...(owners
                            ? [
                                {
                                  title: t('console.ballots.area'),
                                  render: (_: unknown, p: Participation) => p.area ?? '—',
                                },
                              ]
                            : []),
                          {
                            title: t('console.ballots.channel'),
                            render: (_, p) => (
                              <>
                                <Tag>
                                  {t(`console.channels.${p.channel}`, { defaultValue: p.channel })}
                                  {p.proxyName ? `：${p.proxyName}` : ''}
                                </Tag>
                                {(p.history ?? []).map((h) => (
                                  <div key={h.replacedAt} className="m-muted" data-testid="vote-history">
                                    {t('console.ballots.replaced', {
                                      channel:
                                        t(`console.channels.${h.channel}`, { defaultValue: h.channel }) +
                                        (h.proxyName ? `：${h.proxyName}` : ''),
                                      castAt: formatDateTime(h.castAt),
                                      replacedAt: formatDateTime(h.replacedAt),
                                    })}
                                    {h.choice ? ` · ${t(`console.choices.${h.choice}`)}` : ''}
                                  </div>
                                ))}
                              </>
                            ),
                          },
                          {
                            title: t('console.ballots.choice'),
                            render: (_, p) =>
                              p.choice
                                ? t(`console.choices.${p.choice}`)
                                : t(
                                    ballot.data?.secret ? 'console.ballots.hidden' : 'console.ballots.hiddenUntilClose',
                                  ),
                          },
                          { title: t('console.ballots.castAt'), render: (_, p) => formatDateTime(p.castAt) },
                        ]}
                      />
                    )}
                  </Loaded>
                </Card>
              </Col>
            </Row>
          </>
        );
      }}
    </Loaded>
  );
}
