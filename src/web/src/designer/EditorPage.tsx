// One workflow in the designer: palette, canvas, property panel and the toolbar (save, validate, publish,
// versions, import/export, start an instance). An older version opens read-only.
import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { Alert, App, Badge, Button, Dropdown, Input, Modal, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import {
  ApartmentOutlined,
  CheckCircleOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  HistoryOutlined,
  PlayCircleOutlined,
  RedoOutlined,
  SaveOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../shared/api';
import { useConfirm } from '../shared/confirm';
import { localized } from '../shared/i18n';
import { Decorations, DescriptorIndex, type Decoration } from './canvasContext';
import { copySelection, newActivityId, pasteClip, type Clip } from './clipboard';
import { changedBySave, definitionErrors, designerKeys, useDescriptors, useRoles, workflowsApi } from './designerApi';
import { downloadJson, loadGraph, portCounter } from './graphLoad';
import { layoutPositions } from './layout';
import { activityToNode, graphToDefinition, type ActivityNode } from './mapping';
import Palette from './Palette';
import PropertyPanel from './PropertyPanel';
import { DesignerDispatch, designerReducer, initialState } from './store';
import type { ActivityDescriptor, DefinitionVersionView, Position, ValidationError } from './types';
import WorkflowCanvas, { readableViewport } from './WorkflowCanvas';

/** The clipboard outlives one workflow, so activities can be copied from one into another. */
let clipboard: Clip | null = null;

function isTyping(target: EventTarget | null) {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function useDescriptorIndex(descriptors: ActivityDescriptor[] | undefined) {
  return useMemo(() => new Map((descriptors ?? []).map((d) => [d.type, d])), [descriptors]);
}

function Editor({
  view,
  readOnly,
  descriptors,
}: {
  view: DefinitionVersionView;
  readOnly: boolean;
  descriptors: ActivityDescriptor[];
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const confirm = useConfirm();
  const navigate = useNavigate();
  const client = useQueryClient();
  const flow = useReactFlow();
  const roles = useRoles().data ?? [];
  const index = useDescriptorIndex(descriptors);
  const [state, dispatch] = useReducer(designerReducer, undefined, () =>
    initialState(loadGraph(view.definition, index), readOnly),
  );
  const [status, setStatus] = useState({ version: view.version, isPublished: view.isPublished });
  const [errors, setErrors] = useState<ValidationError[] | null>(null);
  const [starting, setStarting] = useState(false);
  const { graph } = state;
  const graphRef = useRef(graph);
  useLayoutEffect(() => {
    graphRef.current = graph; // for the callbacks that must not change with every edit
  });
  const definitionId = graph.meta.definitionId;

  const errorsById = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const e of errors ?? []) map.set(e.activityId ?? '', [...(map.get(e.activityId ?? '') ?? []), e.message]);
    return map;
  }, [errors]);
  const decorations = useMemo(
    () => new Map<string, Decoration>([...errorsById].map(([id, list]) => [id, { errors: list }])),
    [errorsById],
  );

  // Lists and versions change; the open definition does not need fetching again (it is what was just saved).
  const refresh = () => client.invalidateQueries({ predicate: changedBySave });
  const showErrors = (error: unknown) => {
    const listed = definitionErrors(error);
    if (listed) setErrors(listed);
    message.error(problemMessage(error));
  };
  const save = useMutation({
    mutationFn: () => workflowsApi.saveDraft(definitionId, graphToDefinition(graphRef.current)),
    onSuccess: (saved) => {
      dispatch({ type: 'saved', meta: { version: saved.version } });
      setStatus({ version: saved.version, isPublished: saved.isPublished });
      setErrors([]);
      message.success(t('designer.saved'));
      void refresh();
    },
    onError: showErrors,
  });
  const validate = useMutation({
    mutationFn: () => workflowsApi.validate(graphToDefinition(graphRef.current)),
    onSuccess: (report) => {
      setErrors(report.errors);
      if (report.valid) message.success(t('designer.valid'));
      else message.error(t('designer.errors', { count: report.errors.length }));
    },
    onError: showErrors,
  });
  const publish = useMutation({
    mutationFn: async () => {
      if (state.dirty) await save.mutateAsync();
      return workflowsApi.publish(definitionId);
    },
    onSuccess: (published) => {
      setStatus({ version: published.version, isPublished: true });
      setErrors([]);
      message.success(t('designer.publishedOk', { version: published.version }));
      void refresh();
    },
    onError: showErrors,
  });
  // Publishing cannot be taken back: say what it does before doing it.
  const confirmPublish = async () => {
    const unsaved = state.dirty ? t('designer.publishConfirmUnsaved') : '';
    const content = `${t('designer.publishConfirm')}${unsaved}`;
    if (await confirm({ title: t('designer.publishConfirmTitle'), content, okText: t('designer.publish') }))
      publish.mutate();
  };
  const versions = useQuery({
    queryKey: designerKeys.versions(definitionId, status.version),
    queryFn: () => workflowsApi.versions(definitionId),
  });

  const addActivity = useCallback((type: string, position: Position) => {
    const taken = new Set(graphRef.current.nodes.map((n) => n.id));
    dispatch({
      type: 'addNodes',
      nodes: [activityToNode({ id: newActivityId(type, taken), type, version: 1 }, position)],
    });
  }, []);
  const autoLayout = useCallback(() => {
    dispatch({
      type: 'setPositions',
      positions: layoutPositions(graphRef.current.nodes, graphRef.current.edges, portCounter(index)),
    });
    window.requestAnimationFrame(() => {
      const pane = document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect();
      if (pane)
        void flow.setViewport(readableViewport(flow.getNodes() as ActivityNode[], pane.width, pane.height), {
          duration: 200,
        });
    });
  }, [flow, index]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || document.querySelector('.ant-modal-wrap')) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const act = (action: () => void) => {
        event.preventDefault();
        action();
      };
      if (mod && key === 'z' && !event.shiftKey) act(() => dispatch({ type: 'undo' }));
      else if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) act(() => dispatch({ type: 'redo' }));
      else if (mod && key === 'a') act(() => dispatch({ type: 'selectAll' }));
      else if (mod && key === 'c') clipboard = copySelection(graphRef.current) ?? clipboard;
      else if (mod && key === 'v' && clipboard && !readOnly) {
        const pasted = pasteClip(clipboard, new Set(graphRef.current.nodes.map((n) => n.id)));
        act(() => dispatch({ type: 'addNodes', nodes: pasted.nodes, edges: pasted.edges }));
      } else if (mod && key === 's' && !readOnly) act(() => save.mutate());
      else if (!mod && (event.key === 'Delete' || event.key === 'Backspace'))
        act(() => dispatch({ type: 'deleteSelected' }));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [readOnly, save]);

  useEffect(() => {
    if (!state.dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [state.dirty]);

  const selectedNodes = useMemo(() => graph.nodes.filter((n) => n.selected), [graph.nodes]);
  const single = selectedNodes.length === 1 ? selectedNodes[0] : null;
  // The panel gets the selected node's id and data (not the node), so a drag does not redraw it.
  // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on id and data, not on the node a drag replaces
  const selected = useMemo(() => (single ? { id: single.id, data: single.data } : null), [single?.id, single?.data]);
  const idTaken = useCallback((id: string) => graphRef.current.nodes.some((n) => n.id === id), []);
  // Errors name the activity as the canvas shows it, not by its id.
  const nodeName = (activityId: string | null) => {
    if (!activityId) return t('designer.workflowErrors');
    const node = graph.nodes.find((n) => n.id === activityId);
    const descriptor = node && index.get(node.data.type);
    return node?.data.displayName || (descriptor ? localized(descriptor.displayName) : activityId);
  };
  const focus = (activityId: string | null) => {
    if (!activityId || !graph.nodes.some((n) => n.id === activityId)) return dispatch({ type: 'select', ids: [] });
    dispatch({ type: 'select', ids: [activityId] });
    void flow.fitView({ nodes: [{ id: activityId }], maxZoom: 1, duration: 300 });
  };

  return (
    <DesignerDispatch.Provider value={dispatch}>
      <DescriptorIndex.Provider value={index}>
        <div className="dz-editor">
          <div className="dz-toolbar">
            <Space wrap>
              <Link to="/designer">
                <Button icon={<UnorderedListOutlined />}>{t('designer.definitions')}</Button>
              </Link>
              <Typography.Text strong data-testid="editor-title">
                {graph.meta.name}
              </Typography.Text>
              <Tag color={status.isPublished ? 'green' : 'orange'} data-testid="version-tag">
                {t('designer.version', { version: status.version })} ·{' '}
                {t(status.isPublished ? 'designer.published' : 'designer.draft')}
              </Tag>
              {state.dirty && <Tag color="red">{t('designer.unsaved')}</Tag>}
            </Space>
            <Space wrap>
              {!readOnly && (
                <>
                  <Tooltip title={t('designer.undo')}>
                    <Button
                      icon={<UndoOutlined />}
                      disabled={!state.past.length}
                      onClick={() => dispatch({ type: 'undo' })}
                      data-testid="undo"
                    />
                  </Tooltip>
                  <Tooltip title={t('designer.redo')}>
                    <Button
                      icon={<RedoOutlined />}
                      disabled={!state.future.length}
                      onClick={() => dispatch({ type: 'redo' })}
                      data-testid="redo"
                    />
                  </Tooltip>
                  <Button icon={<ApartmentOutlined />} onClick={autoLayout} data-testid="layout">
                    {t('designer.layout')}
                  </Button>
                  <Button
                    icon={<SaveOutlined />}
                    onClick={() => save.mutate()}
                    loading={save.isPending}
                    data-testid="save"
                  >
                    {t('designer.save')}
                  </Button>
                  <Button
                    icon={<CheckCircleOutlined />}
                    onClick={() => validate.mutate()}
                    loading={validate.isPending}
                    data-testid="validate"
                  >
                    {t('designer.validate')}
                  </Button>
                  <Button
                    type="primary"
                    icon={<CloudUploadOutlined />}
                    onClick={confirmPublish}
                    loading={publish.isPending}
                    data-testid="publish"
                  >
                    {t('designer.publish')}
                  </Button>
                </>
              )}
              <Dropdown
                trigger={['click']}
                menu={{
                  items: (versions.data ?? []).map((v) => ({
                    key: String(v.version),
                    label: `${t('designer.version', { version: v.version })} · ${t(v.isPublished ? 'designer.published' : 'designer.draft')}`,
                  })),
                  onClick: ({ key }) =>
                    navigate(
                      key === String(versions.data?.[0]?.version)
                        ? `/designer/${definitionId}`
                        : `/designer/${definitionId}/versions/${key}`,
                    ),
                }}
              >
                <Button icon={<HistoryOutlined />} data-testid="versions">
                  {t('designer.versions')}
                </Button>
              </Dropdown>
              <Button
                icon={<DownloadOutlined />}
                data-testid="export"
                onClick={() =>
                  downloadJson(`${definitionId}-v${status.version}.json`, graphToDefinition(graphRef.current))
                }
              >
                {t('designer.export')}
              </Button>
              <Button icon={<PlayCircleOutlined />} onClick={() => setStarting(true)} data-testid="start">
                {t('designer.start')}
              </Button>
              <Link to={`/designer/${definitionId}/instances`}>
                <Button data-testid="instances">{t('designer.instances')}</Button>
              </Link>
            </Space>
          </div>
          {readOnly && (
            <Alert
              type="info"
              banner
              title={
                <>
                  {t('designer.readOnly', { version: status.version })}{' '}
                  <Link to={`/designer/${definitionId}`}>{t('designer.openLatest')}</Link>
                </>
              }
            />
          )}
          <div className="dz-body">
            {!readOnly && <Palette descriptors={descriptors} />}
            <div className="dz-canvas" data-testid="canvas">
              <Decorations.Provider value={decorations}>
                <WorkflowCanvas
                  nodes={graph.nodes}
                  edges={graph.edges}
                  readOnly={readOnly}
                  onDropActivity={addActivity}
                />
              </Decorations.Provider>
              {errors && errors.length > 0 && (
                <div className="dz-errors" data-testid="errors">
                  <Typography.Text strong>
                    <Badge count={errors.length} /> {t('designer.errorsTitle')}
                  </Typography.Text>
                  <ul>
                    {errors.map((e, i) => (
                      <li key={i}>
                        <a onClick={() => focus(e.activityId)}>{nodeName(e.activityId)}</a>：{e.message}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <Typography.Text type="secondary" className="dz-shortcuts">
                {t('designer.shortcuts')}
              </Typography.Text>
            </div>
            <div className="dz-panel">
              <PropertyPanel
                selected={selected}
                selectedCount={selectedNodes.length}
                meta={graph.meta}
                descriptors={index}
                roles={roles}
                errorsById={errorsById}
                readOnly={readOnly}
                idTaken={idTaken}
              />
            </div>
          </div>
        </div>
        <StartModal
          open={starting}
          definitionId={definitionId}
          onClose={() => setStarting(false)}
          onStarted={(id) => navigate(`/designer/instances/${id}`)}
        />
      </DescriptorIndex.Provider>
    </DesignerDispatch.Provider>
  );
}

export function StartModal({
  open,
  definitionId,
  onClose,
  onStarted,
}: {
  open: boolean;
  definitionId: string;
  onClose: () => void;
  onStarted: (id: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [input, setInput] = useState('{}');
  const [correlationId, setCorrelationId] = useState('');
  const start = useMutation({
    mutationFn: () => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(input || '{}') as Record<string, unknown>;
      } catch {
        throw new Error(t('designer.badJson'));
      }
      return workflowsApi.start(definitionId, parsed, correlationId.trim() || undefined);
    },
    onSuccess: (instance) => onStarted(instance.id),
    onError: (e) => {
      message.error(problemMessage(e)); // not returned: react-query would wait for the message to close
    },
  });
  return (
    <Modal
      open={open}
      title={t('designer.start')}
      onCancel={onClose}
      onOk={() => start.mutate()}
      confirmLoading={start.isPending}
      okText={t('designer.start')}
      cancelText={t('designer.cancel')}
      okButtonProps={{ 'data-testid': 'start-confirm' }}
    >
      <Typography.Text>{t('designer.startInput')}</Typography.Text>
      <Input.TextArea
        className="dz-script"
        rows={5}
        value={input}
        onChange={(e) => setInput(e.target.value)}
        data-testid="start-input"
      />
      <Typography.Text>{t('designer.correlationId')}</Typography.Text>
      <Input value={correlationId} onChange={(e) => setCorrelationId(e.target.value)} />
    </Modal>
  );
}

export default function EditorPage() {
  const { definitionId = '', version } = useParams();
  const pinned = version ? Number(version) : null;
  const descriptors = useDescriptors();
  const definition = useQuery({
    queryKey: designerKeys.definition(definitionId, pinned ?? 'latest'),
    queryFn: () => (pinned ? workflowsApi.version(definitionId, pinned) : workflowsApi.latest(definitionId)),
    staleTime: Infinity,
    gcTime: 0,
  });
  const error = definition.error ?? descriptors.error;
  if (error) return <Alert type="error" showIcon title={problemMessage(error)} style={{ margin: 24 }} />;
  if (!definition.data || !descriptors.data)
    return (
      <div className="dz-loading">
        <Spin />
      </div>
    );
  return (
    <ReactFlowProvider>
      <Editor
        key={`${definitionId}:${pinned ?? ''}`}
        view={definition.data}
        readOnly={pinned !== null}
        descriptors={descriptors.data}
      />
    </ReactFlowProvider>
  );
}
