// One matter with everything about it: details, photos, open tasks, its history, its work items and ballots.
import { Link, useParams } from 'react-router';
import { Card, Col, Descriptions, Image, List, Row, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../shared/format';
import { MatterTimeline } from '../../shared/MatterTimeline';
import { DESCRIPTION_COLUMNS_NARROW, Due, Loaded, PageTitle, StepTag } from '../ui';
import { useMatter, useMatterBallots, useMatterWorkItems } from '../consoleApi';

export function MatterDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const matter = useMatter(id);
  const work = useMatterWorkItems(id);
  const ballots = useMatterBallots(id);

  return (
    <Loaded query={matter}>
      {(m) => (
        <>
          <PageTitle extra={<StepTag step={m.step} name={m.stepName} />}>{m.title}</PageTitle>
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Card style={{ marginBottom: 16 }}>
                <Descriptions
                  column={DESCRIPTION_COLUMNS_NARROW}
                  size="small"
                  items={[
                    { key: 'c', label: t('console.matters.category'), children: m.categoryName },
                    {
                      key: 't',
                      label: t('console.matters.triage'),
                      children: m.triage ? t(`console.triage.${m.triage}`) : '—',
                    },
                    {
                      key: 'p',
                      label: t('console.matters.place'),
                      children: [m.community.name, m.grid.name, m.building?.name, m.location]
                        .filter(Boolean)
                        .join(' / '),
                    },
                    {
                      key: 'r',
                      label: t('console.matters.raisedBy'),
                      children: `${m.raisedBy.name}${m.contactPhone ? ` · ${m.contactPhone}` : ''}`,
                    },
                    { key: 'a', label: t('console.matters.raisedAt'), children: formatDateTime(m.raisedAt) },
                    {
                      key: 's',
                      label: t('console.matters.source'),
                      children: (
                        <>
                          {t(`console.matters.sources.${m.source}`, { defaultValue: m.source })}
                          {m.anonymous && <Tag style={{ marginLeft: 8 }}>{t('console.matters.anonymous')}</Tag>}
                        </>
                      ),
                    },
                    {
                      key: 'd',
                      label: t('console.matters.description'),
                      span: DESCRIPTION_COLUMNS_NARROW,
                      children: <span style={{ whiteSpace: 'pre-wrap' }}>{m.description}</span>,
                    },
                    ...(m.resolution
                      ? [
                          {
                            key: 'x',
                            label: t('console.matters.resolution'),
                            span: DESCRIPTION_COLUMNS_NARROW,
                            children: m.resolution,
                          },
                        ]
                      : []),
                    ...(m.closingReportUrl
                      ? [
                          {
                            key: 'r',
                            label: t('console.matters.closedAt'),
                            span: DESCRIPTION_COLUMNS_NARROW,
                            children: (
                              <>
                                {formatDateTime(m.closedAt)} ·{' '}
                                <a
                                  href={m.closingReportUrl}
                                  target="_blank"
                                  rel="noreferrer"
                                  data-testid="closing-report"
                                >
                                  {t('common.closingReport')}
                                </a>
                              </>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
                {m.photos.length > 0 && (
                  <Image.PreviewGroup>
                    <div style={{ display: 'flex', gap: 8, marginTop: 12 }} data-testid="matter-photos">
                      {m.photos.map((p) => (
                        <Image
                          key={p.id}
                          src={p.url}
                          width={120}
                          height={90}
                          style={{ objectFit: 'cover' }}
                          alt={p.fileName}
                        />
                      ))}
                    </div>
                  </Image.PreviewGroup>
                )}
              </Card>
              <Card title={t('console.matters.openTasks')} size="small" style={{ marginBottom: 16 }}>
                <List
                  size="small"
                  dataSource={m.openTasks}
                  locale={{ emptyText: '—' }}
                  renderItem={(task) => (
                    <List.Item>
                      {task.title}
                      <Due at={task.dueAt} overdue={task.overdue} />
                    </List.Item>
                  )}
                />
              </Card>
              <Card title={t('console.menu.workItems')} size="small" style={{ marginBottom: 16 }}>
                <Loaded query={work}>
                  {(page) => (
                    <List
                      size="small"
                      dataSource={page.items}
                      locale={{ emptyText: '—' }}
                      renderItem={(w) => (
                        <List.Item>
                          <Link to={`/console/work-items/${w.id}`}>{w.title}</Link>
                          <span>
                            {w.responsibleUnit} · {w.progress}%
                          </span>
                        </List.Item>
                      )}
                    />
                  )}
                </Loaded>
              </Card>
              <Card title={t('console.menu.ballots')} size="small" style={{ marginBottom: 16 }}>
                <Loaded query={ballots}>
                  {(list) => (
                    <List
                      size="small"
                      dataSource={list}
                      locale={{ emptyText: '—' }}
                      renderItem={(b) => (
                        <List.Item>
                          <Link to={`/console/ballots/${b.id}`}>{b.title}</Link>
                          {b.outcome ? (
                            <Tag color={b.outcome === 'passed' ? 'green' : 'red'}>
                              {t(`console.outcomes.${b.outcome}`)}
                            </Tag>
                          ) : (
                            <Tag color="orange">{t('console.ballots.open')}</Tag>
                          )}
                        </List.Item>
                      )}
                    />
                  )}
                </Loaded>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('console.matters.timeline')} size="small">
                <MatterTimeline entries={m.timeline} />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Loaded>
  );
}
