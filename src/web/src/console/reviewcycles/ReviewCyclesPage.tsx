// 例会周期 (日联、周会、月商、季研、年总): recurring meetings with their next firing times; create, edit, pause, resume, delete.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { reviewCycleKeys } from '../../shared/queryKeys';
import { useWrite } from '../../shared/useWrite';
import { useAuth } from '../../shared/auth';
import { formatDateTime } from '../../shared/format';
import { MEETING_TYPES } from '../meetings/types';
import { reviewCyclesApi, useOrg, useReviewCycles } from '../consoleApi';
import { Loaded, PageTitle, TABLE_SCROLL } from '../ui';

export interface ReviewCycle {
  id: string;
  communityId: string;
  name: string;
  meetingType: string;
  cron: string;
  timeZone: string;
  skipDates: string[];
  convenerUserId?: string | null;
  paused: boolean;
  nextFirings: string[];
}

// Common cycles as Quartz cron expressions (seconds first), so that nobody has to write one by hand.
const PRESETS = [
  { key: 'weekly', cron: '0 0 15 ? * MON' },
  { key: 'monthly', cron: '0 0 15 1 * ?' },
  { key: 'bimonthly', cron: '0 0 15 1 1/2 ?' },
  { key: 'quarterly', cron: '0 0 15 1 1/3 ?' },
];

export function ReviewCyclesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const cycles = useReviewCycles();
  const communities = (useOrg().data ?? []).filter((n) => n.level === 'community');
  const [editing, setEditing] = useState<ReviewCycle | 'new' | null>(null);
  const { run: act } = useWrite((action: () => Promise<unknown>) => action(), {
    invalidate: [reviewCycleKeys.all],
    onError: (text) => message.error(text),
  });
  return (
    <>
      <PageTitle
        extra={
          <Button type="primary" onClick={() => setEditing('new')}>
            {t('console.cycles.new')}
          </Button>
        }
      >
        {t('console.menu.reviewCycles')}
      </PageTitle>
      <Loaded query={cycles}>
        {(list) => (
          <Table<ReviewCycle>
            scroll={TABLE_SCROLL}
            rowKey="id"
            dataSource={list}
            pagination={false}
            data-testid="review-cycles"
            columns={[
              { title: t('console.cycles.name'), dataIndex: 'name' },
              {
                title: t('console.cycles.community'),
                render: (_, c) => communities.find((x) => x.id === c.communityId)?.name ?? '—',
              },
              {
                title: t('console.meetings.type'),
                render: (_, c) => t(`console.meetings.types.${c.meetingType}`, { defaultValue: c.meetingType }),
              },
              { title: t('console.cycles.cron'), render: (_, c) => <code>{c.cron}</code> },
              {
                title: t('console.cycles.next'),
                render: (_, c) =>
                  c.paused ? (
                    <Tag>{t('console.cycles.paused')}</Tag>
                  ) : (
                    <Space direction="vertical" size={0}>
                      {c.nextFirings.slice(0, 3).map((f) => (
                        <span key={f}>{formatDateTime(f, c.timeZone)}</span>
                      ))}
                    </Space>
                  ),
              },
              {
                title: '',
                render: (_, c) => (
                  <Space>
                    <Button size="small" onClick={() => setEditing(c)}>
                      {t('console.edit')}
                    </Button>
                    <Button size="small" onClick={() => act(() => reviewCyclesApi.pause(c.id, !c.paused))}>
                      {t(c.paused ? 'console.cycles.resume' : 'console.cycles.pause')}
                    </Button>
                    <Popconfirm
                      title={t('console.cycles.confirmDelete')}
                      onConfirm={() => act(() => reviewCyclesApi.remove(c.id))}
                    >
                      <Button size="small" danger>
                        {t('console.remove')}
                      </Button>
                    </Popconfirm>
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loaded>
      {editing && (
        <CycleForm
          cycle={editing === 'new' ? null : editing}
          communities={communities}
          onClose={() => setEditing(null)}
        />
      )}
    </>
  );
}

function CycleForm({
  cycle,
  communities,
  onClose,
}: {
  cycle: ReviewCycle | null;
  communities: { id: string; name: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const { run: save, error } = useWrite(
    (v: { name: string; communityId: string; meetingType: string; cron: string; skipDates?: string }) =>
      reviewCyclesApi.save(cycle?.id ?? null, {
        ...v,
        timeZone: cycle?.timeZone ?? 'Asia/Shanghai',
        convenerUserId: cycle?.convenerUserId ?? me?.id,
        skipDates: (v.skipDates ?? '').split(/[\s,，、]+/).filter(Boolean),
      }),
    { invalidate: [reviewCycleKeys.all], onSuccess: onClose },
  );
  const [form] = Form.useForm();
  // The communities may arrive after the form opened: fill in the first one then.
  useEffect(() => {
    if (!form.getFieldValue('communityId') && communities[0]) form.setFieldValue('communityId', communities[0].id);
  }, [communities, form]);
  return (
    <Modal open title={cycle ? cycle.name : t('console.cycles.new')} onCancel={onClose} footer={null} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onFinish={save}
        initialValues={{
          name: cycle?.name,
          communityId: cycle?.communityId ?? communities[0]?.id,
          meetingType: cycle?.meetingType ?? 'fourParty',
          cron: cycle?.cron ?? PRESETS[1].cron,
          skipDates: cycle?.skipDates.join(', '),
        }}
      >
        <Form.Item name="name" label={t('console.cycles.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="communityId" label={t('console.cycles.community')} rules={[{ required: true }]}>
          <Select options={communities.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item name="meetingType" label={t('console.meetings.type')}>
          <Select options={MEETING_TYPES.map((v) => ({ value: v, label: t(`console.meetings.types.${v}`) }))} />
        </Form.Item>
        <Form.Item label={t('console.cycles.preset')}>
          <Select
            placeholder={t('common.choose')}
            onChange={(cron) => form.setFieldValue('cron', cron)}
            options={PRESETS.map((p) => ({ value: p.cron, label: t(`console.cycles.presets.${p.key}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="cron"
          label={t('console.cycles.cron')}
          rules={[{ required: true }]}
          extra={t('console.cycles.cronHelp')}
        >
          <Input />
        </Form.Item>
        <Form.Item name="skipDates" label={t('console.cycles.skipDates')} extra={t('console.cycles.skipHelp')}>
          <Input />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit">
          {t('console.save')}
        </Button>
      </Form>
    </Modal>
  );
}
