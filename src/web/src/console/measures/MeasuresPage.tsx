// 数据看板: 响应率, 办结率, 按期办结率 and 满意率 per node (grid, community, street) for a period, and over the
// last six months; the same figures as a table and as CSV.
import { useState } from 'react';
import { Button, Card, Empty, Input, Segmented, Space, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { percent } from '../../shared/format';
import { BarChart } from '../charts/BarChart';
import { LineChart } from '../charts/LineChart';
import { measureQueries, measuresCsvUrl } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';
import { chinaToday, isoDay, lastMonths, pooled, RATE_COLOURS, RATES, type MeasureRow } from './measures';

const MONTHS = 6;

export function MeasuresPage() {
  const { t } = useTranslation();
  const [level, setLevel] = useState<'grid' | 'community' | 'street'>('grid');
  const [from, setFrom] = useState(() =>
    isoDay(new Date(chinaToday().getFullYear(), chinaToday().getMonth() - (MONTHS - 1), 1)),
  );
  const [to, setTo] = useState(() => isoDay(chinaToday()));
  const range = `level=${level}&from=${from}&to=${to}`;
  const period = useQuery(measureQueries.range(range));
  const months = lastMonths(MONTHS);
  const monthly = useQueries({
    queries: months.map((m) => measureQueries.month(level, m.from, m.to)),
  });
  const series = RATES.map((key) => ({ key, label: t(`console.measures.${key}`), colour: RATE_COLOURS[key] }));

  return (
    <>
      <PageTitle
        extra={
          <a href={measuresCsvUrl(range)} download>
            <Button icon={<DownloadOutlined />}>{t('console.measures.csv')}</Button>
          </a>
        }
      >
        {t('console.menu.measures')}
      </PageTitle>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented
          value={level}
          onChange={(v) => setLevel(v as typeof level)}
          options={(['grid', 'community', 'street'] as const).map((l) => ({
            value: l,
            label: t(`console.measures.levels.${l}`),
          }))}
        />
        <Input
          type="date"
          value={from}
          onChange={(e) => e.target.value && setFrom(e.target.value)}
          style={{ width: 160 }}
          aria-label={t('console.measures.from')}
        />
        <span>—</span>
        <Input
          type="date"
          value={to}
          onChange={(e) => e.target.value && setTo(e.target.value)}
          style={{ width: 160 }}
          aria-label={t('console.measures.to')}
        />
      </Space>
      <Loaded query={period}>
        {(m) =>
          m.rows.length === 0 ? (
            <Empty />
          ) : (
            <>
              <Card size="small" title={t('console.measures.byNode')} style={{ marginBottom: 16, overflowX: 'auto' }}>
                <BarChart
                  title={t('console.measures.byNode')}
                  categories={m.rows.map((r) => r.node.name)}
                  series={series}
                  values={m.rows.map((r) => RATES.map((k) => r[k].rate))}
                />
              </Card>
              <Card size="small" title={t('console.measures.table')} style={{ marginBottom: 16 }}>
                <Table<MeasureRow>
                  scroll={TABLE_SCROLL}
                  rowKey={(r) => r.node.id}
                  size="small"
                  pagination={false}
                  dataSource={m.rows}
                  data-testid="measures-table"
                  columns={[
                    { title: t('console.measures.node'), render: (_, r) => r.node.name },
                    { title: t('console.measures.raised'), dataIndex: 'raised' },
                    ...RATES.map((k) => ({
                      title: t(`console.measures.${k}`),
                      render: (_: unknown, r: MeasureRow) => (
                        <span title={`${r[k].numerator} / ${r[k].denominator}`}>
                          {percent(r[k].rate)}{' '}
                          <small style={{ color: '#8c8c8c' }}>
                            ({r[k].numerator}/{r[k].denominator})
                          </small>
                        </span>
                      ),
                    })),
                  ]}
                />
              </Card>
            </>
          )
        }
      </Loaded>
      <Card size="small" title={t('console.measures.byMonth', { n: MONTHS })} style={{ overflowX: 'auto' }}>
        {monthly.some((q) => q.isLoading) ? null : (
          <LineChart
            title={t('console.measures.byMonth', { n: MONTHS })}
            periods={months.map((m) => m.label)}
            series={series}
            values={RATES.map((k) => monthly.map((q) => (q.data ? pooled(q.data.rows, k) : null)))}
          />
        )}
      </Card>
    </>
  );
}
