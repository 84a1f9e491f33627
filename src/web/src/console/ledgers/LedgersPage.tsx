// 台账: the five ledgers inspectors ask for, each downloaded as XLSX with the filters set here (node, period, status).
// The server writes the Chinese headers, keeps to the caller's scope and records every export in the audit chain.
import { useState } from 'react';
import { Alert, Button, Card, Col, Input, Row, Select, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { useOrg } from '../../shared/sharedApi';
import { PageTitle } from '../ui';
import { LEDGERS, ledgerUrl, nodesInScope, type LedgerKind } from './ledgers';

export function LedgersPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const nodes = nodesInScope(useOrg().data ?? [], me?.roles ?? []);
  const [nodeId, setNodeId] = useState<string | undefined>();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [statuses, setStatuses] = useState<Partial<Record<LedgerKind, string>>>({});
  const reversed = from !== '' && to !== '' && from > to;

  return (
    <>
      <PageTitle>{t('console.menu.ledgers')}</PageTitle>
      <Typography.Paragraph type="secondary">{t('console.ledgers.intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ minWidth: 220 }}
          placeholder={t('console.ledgers.allNodes')}
          aria-label={t('console.ledgers.node')}
          value={nodeId}
          onChange={(v) => setNodeId(v)}
          options={nodes.map((n) => ({ value: n.id, label: n.name }))}
          data-testid="ledger-node"
        />
        <Input
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          style={{ width: 160 }}
          aria-label={t('console.ledgers.from')}
        />
        <span>—</span>
        <Input
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          style={{ width: 160 }}
          aria-label={t('console.ledgers.to')}
        />
      </Space>
      {reversed && <Alert type="warning" showIcon title={t('console.ledgers.reversed')} style={{ marginBottom: 16 }} />}
      <Row gutter={[16, 16]}>
        {LEDGERS.map(({ kind, statuses: codes }) => (
          <Col key={kind} xs={24} md={12} xl={8}>
            <Card size="small" title={t(`console.ledgers.${kind}.title`)} data-testid={`ledger-${kind}`}>
              <Typography.Paragraph type="secondary">{t(`console.ledgers.${kind}.about`)}</Typography.Paragraph>
              <Space wrap>
                <Select
                  allowClear
                  style={{ minWidth: 160 }}
                  placeholder={t('console.ledgers.anyStatus')}
                  aria-label={t('console.ledgers.status')}
                  value={statuses[kind]}
                  onChange={(v) => setStatuses((s) => ({ ...s, [kind]: v }))}
                  options={codes.map((code) => ({ value: code, label: t(`console.ledgers.${kind}.status.${code}`) }))}
                />
                {reversed ? (
                  <Button icon={<DownloadOutlined />} disabled>
                    {t('console.ledgers.download')}
                  </Button>
                ) : (
                  // one link styled as a button (a button inside a link is two controls to a screen reader)
                  <Button
                    type="primary"
                    icon={<DownloadOutlined />}
                    href={ledgerUrl(kind, { nodeId, from, to, status: statuses[kind] })}
                    download
                    data-testid={`ledger-download-${kind}`}
                  >
                    {t('console.ledgers.download')}
                  </Button>
                )}
              </Space>
            </Card>
          </Col>
        ))}
      </Row>
    </>
  );
}
