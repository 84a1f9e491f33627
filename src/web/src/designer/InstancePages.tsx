// Instances of a definition, and one instance: its path on the canvas, status, waiting activities and journal.
import { useMemo, useReducer, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { Alert, Button, Descriptions, Space, Spin, Table, Tag, Typography } from 'antd';
import { PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../shared/api';
import { formatDateTime } from '../shared/format';
import { useAuth } from '../shared/auth';
import { areasFor } from '../console/access';
import { Decorations, DescriptorIndex } from './canvasContext';
import { designerKeys, useDescriptors, workflowsApi } from './designerApi';
import { StartModal, useDescriptorIndex } from './EditorPage';
import { loadGraph } from './graphLoad';
import { runPath } from './instancePath';
import { outcomeLabel } from './ports';
import { localized } from '../shared/i18n';
import { DesignerDispatch, designerReducer, initialState } from './store';
import type {
  ActivityDescriptor,
  DefinitionVersionView,
  InstanceSummary,
  InstanceView,
  JournalRow,
  JsonObject,
} from './types';
import WorkflowCanvas from './WorkflowCanvas';

const STATUS_COLORS: Record<string, string> = {
  running: 'blue',
  suspended: 'orange',
  finished: 'green',
  cancelled: 'default',
  faulted: 'red',
};

/** The matter an instance serves, linked for those who may open it in the console; a test run says so. */
function Serves({ instance }: { instance: InstanceSummary }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const served = instance.serves;
  if (served)
    return areasFor(me).includes('matters') ? (
      <Link to={`/console/matters/${served.id}`} data-testid="instance-serves">
        {served.title}
      </Link>
    ) : (
      <span data-testid="instance-serves">{served.title}</span>
    );
  if (instance.testRun) return <Tag>{t('designer.testRunTag')}</Tag>;
  return <>{instance.correlationId ?? '—'}</>;
}

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="instance-status">
      {t(`designer.status.${status}`)}
    </Tag>
  );
}

/** Times in the one format of the app; the hook re-renders on a language change. */
function useTime() {
  useTranslation();
  return (s: string | null) => formatDateTime(s);
}

export function InstancesPage() {
  const { definitionId = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const time = useTime();
  const [starting, setStarting] = useState(false);
  const list = useQuery({
    queryKey: designerKeys.instances(definitionId),
    queryFn: () => workflowsApi.instances(definitionId),
  });
  return (
    <div className="dz-page">
      <Space style={{ marginBottom: 16 }} wrap>
        <Link to={`/designer/${encodeURIComponent(definitionId)}`}>
          <Button>{t('designer.back')}</Button>
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('designer.instances')} · <Typography.Text code>{definitionId}</Typography.Text>
        </Typography.Title>
        <Button icon={<PlayCircleOutlined />} onClick={() => setStarting(true)}>
          {t('designer.start')}
        </Button>
      </Space>
      {list.error && <Alert type="error" showIcon title={problemMessage(list.error)} />}
      <Table<InstanceSummary>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items}
        size="middle"
        pagination={false}
        locale={{ emptyText: t('designer.noInstances') }}
        columns={[
          {
            title: 'ID',
            dataIndex: 'id',
            render: (id: string) => (
              <Link to={`/designer/instances/${id}`}>
                <Typography.Text code>{id.slice(0, 8)}</Typography.Text>
              </Link>
            ),
          },
          { title: t('designer.version', { version: '' }).trim(), dataIndex: 'version' },
          { title: t('designer.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('designer.serves'), render: (_, i) => <Serves instance={i} /> },
          { title: t('designer.createdAt'), dataIndex: 'createdAt', render: time },
          { title: t('designer.finishedAt'), dataIndex: 'finishedAt', render: time },
        ]}
      />
      <StartModal
        open={starting}
        definitionId={definitionId}
        onClose={() => setStarting(false)}
        onStarted={(id) => navigate(`/designer/instances/${id}`)}
      />
    </div>
  );
}

function InstanceCanvas({
  version,
  instance,
  journal,
  descriptors,
}: {
  version: DefinitionVersionView;
  instance: InstanceView;
  journal: JournalRow[];
  descriptors: ActivityDescriptor[];
}) {
  const index = useDescriptorIndex(descriptors);
  const [state, dispatch] = useReducer(designerReducer, undefined, () =>
    initialState(loadGraph(version.definition, index), true),
  );
  const path = useMemo(() => runPath(journal, instance, state.graph.edges), [journal, instance, state.graph.edges]);
  const edges = useMemo(
    () =>
      state.graph.edges.map((e) =>
        path.traversed.has(e.id) ? { ...e, className: 'dz-traversed', animated: true } : e,
      ),
    [state.graph.edges, path],
  );
  return (
    <DesignerDispatch.Provider value={dispatch}>
      <DescriptorIndex.Provider value={index}>
        <Decorations.Provider value={path.decorations}>
          <WorkflowCanvas nodes={state.graph.nodes} edges={edges} readOnly />
        </Decorations.Provider>
      </DescriptorIndex.Provider>
    </DesignerDispatch.Provider>
  );
}

export function InstancePage() {
  const { instanceId = '' } = useParams();
  const { t } = useTranslation();
  const time = useTime();
  const descriptors = useDescriptors();
  const live = (status?: string) => (status === 'running' || status === 'suspended' ? 5000 : false);
  const instance = useQuery({
    queryKey: designerKeys.instance(instanceId),
    queryFn: () => workflowsApi.instance(instanceId),
    refetchInterval: (q) => live(q.state.data?.status),
  });
  const journal = useQuery({
    queryKey: designerKeys.journal(instanceId),
    queryFn: () => workflowsApi.journal(instanceId),
    refetchInterval: () => live(instance.data?.status),
  });
  const data = instance.data;
  const version = useQuery({
    queryKey: designerKeys.definition(data?.definitionId, data?.version),
    queryFn: () => workflowsApi.version(data!.definitionId, data!.version),
    enabled: !!data,
    staleTime: Infinity,
  });
  const error = instance.error ?? journal.error ?? version.error ?? descriptors.error;
  if (error) return <Alert type="error" showIcon title={problemMessage(error)} style={{ margin: 24 }} />;
  if (!data || !journal.data || !version.data || !descriptors.data)
    return (
      <div className="dz-loading">
        <Spin />
      </div>
    );
  const activities = new Map(version.data.definition.root.activities.map((a) => [a.id, a]));
  const names = new Map(version.data.definition.root.activities.map((a) => [a.id, a.displayName || a.id]));
  const typeName = (type: string) => {
    const d = descriptors.data.find((x) => x.type === type);
    return d ? localized(d.displayName) : null;
  };
  // Outcomes and waits are shown by their labels; codes stay in the tooltip.
  const outcomeText = (activityId: string | null | undefined, outcome: string | null | undefined) => {
    if (!outcome) return '';
    const activity = activityId ? activities.get(activityId) : undefined;
    if (!activity) return outcome;
    const descriptor = descriptors.data.find((x) => x.type === activity.type);
    return outcomeLabel(descriptor, activity as unknown as JsonObject, outcome);
  };
  return (
    <div className="dz-instance">
      <div className="dz-toolbar">
        <Space wrap>
          <Link to={`/designer/${encodeURIComponent(data.definitionId)}/instances`}>
            <Button>{t('designer.instances')}</Button>
          </Link>
          <Typography.Text strong>{version.data.name}</Typography.Text>
          <Tag>{t('designer.version', { version: data.version })}</Tag>
          <StatusTag status={data.status} />
        </Space>
        <Space>
          <span className="dz-legend dz-run-executed">{t('designer.legend.executed')}</span>
          <span className="dz-legend dz-run-waiting">{t('designer.legend.waiting')}</span>
          <span className="dz-legend dz-run-faulted">{t('designer.legend.faulted')}</span>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              void instance.refetch();
              void journal.refetch();
            }}
          >
            {t('designer.refresh')}
          </Button>
        </Space>
      </div>
      <div className="dz-instance-body">
        <div className="dz-canvas" data-testid="instance-canvas">
          <ReactFlowProvider>
            <InstanceCanvas
              key={`${data.definitionId}:${data.version}`}
              version={version.data}
              instance={data}
              journal={journal.data}
              descriptors={descriptors.data}
            />
          </ReactFlowProvider>
        </div>
        <div className="dz-instance-side">
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'id', label: 'ID', children: <Typography.Text code>{data.id}</Typography.Text> },
              { key: 'status', label: t('designer.status'), children: <StatusTag status={data.status} /> },
              { key: 'serves', label: t('designer.serves'), children: <Serves instance={data} /> },
              { key: 'created', label: t('designer.createdAt'), children: time(data.createdAt) },
              { key: 'finished', label: t('designer.finishedAt'), children: time(data.finishedAt) },
            ]}
          />
          <Typography.Title level={5}>{t('designer.waitingAt')}</Typography.Title>
          {data.bookmarks.length === 0 ? (
            <Typography.Text type="secondary">{t('designer.noWaiting')}</Typography.Text>
          ) : (
            <ul data-testid="bookmarks">
              {data.bookmarks.map((b) => (
                <li key={b.id}>
                  {names.get(b.activityId) ?? b.activityId}
                  {typeName(b.name) && <> · {typeName(b.name)}</>}
                  {b.dueAt && (
                    <>
                      {' '}
                      · {t('designer.dueAt')} {time(b.dueAt)}
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
          {data.incidents.length > 0 && (
            <>
              <Typography.Title level={5}>{t('designer.incidents')}</Typography.Title>
              {data.incidents.map((i) => (
                <Alert
                  key={i.id}
                  type={i.resolvedAt ? 'info' : 'error'}
                  title={`${names.get(i.activityId) ?? i.activityId}：${i.message}`}
                />
              ))}
            </>
          )}
        </div>
      </div>
      <div className="dz-journal">
        <Typography.Title level={5}>{t('designer.journal')}</Typography.Title>
        <Table<JournalRow>
          rowKey="sequence"
          dataSource={journal.data}
          size="small"
          pagination={false}
          data-testid="journal"
          columns={[
            { title: '#', dataIndex: 'sequence', width: 48 },
            { title: t('designer.time'), dataIndex: 'at', render: time },
            {
              title: t('designer.journalActivity'),
              key: 'activity',
              render: (_, r) =>
                r.activityId ? (
                  <span title={r.activityId}>{r.activityName || names.get(r.activityId) || r.activityId}</span>
                ) : (
                  ''
                ),
            },
            {
              title: t('designer.event'),
              dataIndex: 'event',
              render: (e: string) => t(`designer.event.${e}`, { defaultValue: e }),
            },
            {
              title: t('designer.outcome'),
              key: 'outcome',
              render: (_, r) => <span title={r.outcome ?? undefined}>{outcomeText(r.activityId, r.outcome)}</span>,
            },
            { title: t('designer.actor'), dataIndex: 'actorName' },
          ]}
        />
      </div>
    </div>
  );
}
