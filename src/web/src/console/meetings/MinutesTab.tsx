// 会议纪要: generated PDF versions (GB/T 9704 layout), previewed here, downloaded, corrected and signed off.
import { useState } from 'react';
import { Alert, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../shared/auth';
import { formatDateTime } from '../../shared/format';
import { meetingsApi, useMinutes } from '../consoleApi';
import { Loaded } from '../ui';
import type { Meeting } from './types';
import { useMeetingAction } from './useMeetingAction';

export interface MinutesVersion {
  version: number;
  sha256: string;
  language: string;
  createdAt: string;
  createdBy: string;
  reason?: string | null;
  signOffs: { userId: string; name: string; signedAt: string }[];
  requiredSigners: { userId: string; name: string }[];
}

export function MinutesTab({ meeting }: { meeting: Meeting }) {
  const { t, i18n } = useTranslation();
  const { me } = useAuth();
  const { run, busy } = useMeetingAction(meeting.id);
  const [reason, setReason] = useState('');
  const versions = useMinutes(meeting.id, meeting.state === 'closed' || meeting.state === 'minutesApproved');
  if (meeting.state !== 'closed' && meeting.state !== 'minutesApproved')
    return <Alert type="info" showIcon title={t('console.minutes.afterClose')} />;
  const lang = i18n.language === 'en' ? '?lang=en' : '';
  const pdf = meetingsApi.minutesPdf(meeting.id);
  return (
    <Loaded query={versions}>
      {(list) => {
        const latest = [...list].sort((a, b) => b.version - a.version)[0];
        const mustSign =
          latest &&
          latest.requiredSigners.some((s) => s.userId === me?.id) &&
          !latest.signOffs.some((s) => s.userId === me?.id);
        return (
          <>
            <Space style={{ marginBottom: 12 }} wrap>
              {meeting.canManage &&
                meeting.state === 'closed' && ( // approved minutes are final
                  <>
                    {latest && (
                      <Input
                        placeholder={t('console.minutes.reason')}
                        value={reason}
                        onChange={(e) => setReason(e.target.value)}
                        style={{ width: 260 }}
                      />
                    )}
                    <Button
                      type="primary"
                      loading={busy === 'generate'}
                      data-testid="minutes-generate"
                      onClick={async () => {
                        if (
                          await run(
                            'generate',
                            () => meetingsApi.draftMinutes(meeting.id, reason || null),
                            t('console.minutes.generated'),
                          )
                        )
                          setReason('');
                      }}
                    >
                      {latest ? t('console.minutes.correct') : t('console.minutes.generate')}
                    </Button>
                  </>
                )}
              {latest && (
                <a href={`${pdf}${lang}`} download data-testid="minutes-download">
                  <Button>{t('console.minutes.download')}</Button>
                </a>
              )}
              {mustSign && (
                <Button
                  type="primary"
                  loading={busy === 'sign'}
                  data-testid="minutes-sign"
                  onClick={() =>
                    run(
                      'sign',
                      () => meetingsApi.signMinutes(meeting.id, latest.version),
                      t('console.minutes.signed'),
                      {
                        title: t('console.minutes.confirmSign', { version: latest.version }),
                        content: t('console.minutes.confirmSignWhat'),
                      },
                    )
                  }
                >
                  {t('console.minutes.signOff')}
                </Button>
              )}
            </Space>
            {latest ? (
              <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
                <object
                  data={`${pdf}${lang}`}
                  type="application/pdf"
                  title={t('console.meetings.minutes')}
                  data-testid="minutes-preview"
                  style={{ flex: '1 1 520px', height: 720, border: '1px solid #f0f0f0' }}
                >
                  <a href={`${pdf}${lang}`}>{t('console.minutes.download')}</a>
                </object>
                <Card size="small" title={t('console.minutes.versions')} style={{ flex: '0 1 320px' }}>
                  <List
                    size="small"
                    dataSource={[...list].sort((a, b) => b.version - a.version)}
                    renderItem={(v) => (
                      <List.Item>
                        <div>
                          <div>
                            <a href={meetingsApi.minutesPdf(meeting.id, v.version)}>
                              {t('console.minutes.version', { n: v.version })}
                            </a>{' '}
                            · {formatDateTime(v.createdAt)}
                          </div>
                          {v.reason && <Typography.Text type="secondary">{v.reason}</Typography.Text>}
                          <div>
                            {v.requiredSigners.map((s) => {
                              const signed = v.signOffs.find((x) => x.userId === s.userId);
                              return (
                                <Tag key={s.userId} color={signed ? 'green' : 'default'}>
                                  {s.name}
                                  {signed ? ` ✓ ${formatDateTime(signed.signedAt)}` : ''}
                                </Tag>
                              );
                            })}
                          </div>
                          <Typography.Text type="secondary" style={{ fontSize: 11 }} copyable={{ text: v.sha256 }}>
                            SHA-256 {v.sha256.slice(0, 12)}…
                          </Typography.Text>
                        </div>
                      </List.Item>
                    )}
                  />
                </Card>
              </div>
            ) : (
              <Alert type="info" showIcon title={t('console.minutes.none')} />
            )}
          </>
        );
      }}
    </Loaded>
  );
}
