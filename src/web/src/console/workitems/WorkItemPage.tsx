// One work item: its history with evidence photos; report progress, complete it, or escalate it (吹哨).
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Image,
  Input,
  InputNumber,
  Progress,
  Row,
  Space,
  Tabs,
  Tag,
  Timeline,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { workItemKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { useConfirm } from '../../shared/confirm';
import { useWorkItem, workItemsApi } from '../consoleApi';
import { formatDateTime } from '../../shared/format';
import { Due, Loaded, PageTitle } from '../ui';
import { responsibleLine, type WorkItem } from './types';

export function WorkItemPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const item = useWorkItem(id);
  return (
    <Loaded query={item}>
      {(w) => (
        <>
          <PageTitle
            extra={
              <Tag color={w.status === 'done' ? 'green' : w.overdue ? 'red' : 'blue'}>
                {t(`console.work.statuses.${w.status}`)}
              </Tag>
            }
          >
            {w.title}
          </PageTitle>
          <Row gutter={16}>
            <Col xs={24} xl={12}>
              <Card style={{ marginBottom: 16 }}>
                <Descriptions
                  column={1}
                  size="small"
                  items={[
                    {
                      key: 'u',
                      label: t('console.work.unit'),
                      children: responsibleLine(w),
                    },
                    {
                      key: 'm',
                      label: t('console.work.matter'),
                      children: w.matter ? <Link to={`/console/matters/${w.matter.id}`}>{w.matter.title}</Link> : '—',
                    },
                    {
                      key: 'd',
                      label: t('console.work.deadline'),
                      children: <Due at={w.deadline} overdue={w.overdue} dueDate={w.dueDate} doneAt={w.doneAt} />,
                    },
                    {
                      key: 'p',
                      label: t('console.work.progress'),
                      children: <Progress percent={w.progress} size="small" />,
                    },
                    ...(w.description
                      ? [{ key: 'x', label: t('console.work.description'), children: w.description }]
                      : []),
                  ]}
                />
              </Card>
              {w.canAct && w.status !== 'done' && <WorkActions item={w} />}
            </Col>
            <Col xs={24} xl={12}>
              <Card title={t('console.work.history')} size="small">
                <Timeline
                  items={w.updates.map((u) => ({
                    color: u.kind === 'escalated' ? 'red' : u.kind === 'done' ? 'green' : 'blue',
                    content: (
                      <div data-testid="work-update">
                        <div>
                          <b>{t(`console.work.kinds.${u.kind}`, { defaultValue: u.kind })}</b> · {u.by.name} ·{' '}
                          {formatDateTime(u.at)} · {u.progress}%
                        </div>
                        {u.fromLevel && (
                          <div>
                            {u.fromLevel} → {u.toLevel}
                          </div>
                        )}
                        {u.text && <div style={{ whiteSpace: 'pre-wrap' }}>{u.text}</div>}
                        {u.photos.length > 0 && (
                          <Image.PreviewGroup>
                            <Space wrap style={{ marginTop: 6 }}>
                              {u.photos.map((p) => (
                                <Image key={p.id} src={p.url} width={96} height={72} style={{ objectFit: 'cover' }} />
                              ))}
                            </Space>
                          </Image.PreviewGroup>
                        )}
                      </div>
                    ),
                  }))}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Loaded>
  );
}

function WorkActions({ item }: { item: WorkItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [percent, setPercent] = useState<number | null>(item.progress);
  const [photos, setPhotos] = useState<File[]>([]);
  const write = useWrite(
    async (action: 'progress' | 'complete' | 'escalate') => {
      const body = action === 'progress' ? { text, percent } : action === 'complete' ? { text } : { reason: text };
      const updated = await workItemsApi.act(item.id, action, body);
      if (photos.length && action !== 'escalate') {
        // The photos are the evidence of the update just written: the newest one of the item.
        const update = [...updated.updates].sort((a, b) => a.at.localeCompare(b.at)).at(-1)!;
        const form = new FormData();
        photos.forEach((p) => form.append('photos', p, p.name));
        await workItemsApi.addPhotos(item.id, update.id, form);
      }
    },
    {
      busyKey: (action) => action,
      onSuccess: (_, action) => {
        setText('');
        setPhotos([]);
        message.success(t(`console.work.done.${action}`));
      },
      invalidate: [workItemKeys.all],
    },
  );
  const { error, busyKey: busy } = write;
  const confirm = useConfirm();
  const act = async (action: 'progress' | 'complete' | 'escalate') => {
    // A progress report can be followed by another; 办结 and 上报 hand the item on for good.
    if (
      action !== 'progress' &&
      !(await confirm({
        title: t(`console.work.confirm.${action}`),
        content: t(`console.work.confirm.${action}What`),
        danger: action === 'escalate',
      }))
    )
      return;
    await write.run(action);
  };

  return (
    <Card size="small" data-testid="work-actions">
      <Tabs
        items={[
          { key: 'progress', label: t('console.work.report') },
          { key: 'complete', label: t('console.work.complete') },
          { key: 'escalate', label: t('console.work.escalate') },
        ].map((tab) => ({
          ...tab,
          children: (
            <>
              <Input.TextArea
                rows={3}
                value={text}
                onChange={(e) => setText(e.target.value)}
                data-testid={`work-text-${tab.key}`}
                placeholder={t(`console.work.placeholder.${tab.key}`)}
                style={{ marginBottom: 10 }}
              />
              {tab.key === 'progress' && (
                <Space style={{ marginBottom: 10 }}>
                  {t('console.work.progress')}
                  <InputNumber
                    min={0}
                    max={100}
                    value={percent}
                    onChange={setPercent}
                    suffix="%"
                    data-testid="work-percent"
                  />
                </Space>
              )}
              {tab.key !== 'escalate' && (
                <div style={{ marginBottom: 10 }}>
                  <input
                    type="file"
                    accept="image/jpeg,image/png,image/webp"
                    multiple
                    data-testid={`work-photos-${tab.key}`}
                    onChange={(e) => setPhotos(Array.from(e.target.files ?? []))}
                  />
                </div>
              )}
              {error && (
                <Alert type="error" showIcon title={error} style={{ marginBottom: 10 }} data-testid="work-error" />
              )}
              <Button
                type="primary"
                danger={tab.key === 'escalate'}
                loading={busy === tab.key}
                onClick={() => void act(tab.key as 'progress')}
                data-testid={`work-submit-${tab.key}`}
              >
                {t(`console.work.${tab.key === 'progress' ? 'report' : tab.key}`)}
              </Button>
            </>
          ),
        }))}
      />
    </Card>
  );
}
