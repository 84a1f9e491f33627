// The property panel: for one selected activity, a form generated from its descriptor's inputs; with
// nothing selected, the workflow's name, description and variables.
import { memo, useState } from 'react';
import { Alert, Button, Form, Input, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { localized } from '../shared/i18n';
import { InputEditor, JsonEditor, inputProblem, isEmpty } from './editors';
import { portsOf } from './ports';
import { useDesignerDispatch } from './store';
import type { RoleView } from './designerApi';
import type { ActivityData, DefinitionMeta } from './mapping';
import type { ActivityDescriptor, Json, VariableJson } from './types';

const VARIABLE_TYPES = ['string', 'number', 'boolean', 'object', 'array', 'datetime'];

interface ActivityProps {
  id: string;
  data: ActivityData;
  descriptor: ActivityDescriptor | undefined;
  variables: string[];
  roles: RoleView[];
  errors: string[];
  readOnly: boolean;
  idTaken: (id: string) => boolean;
}

function ActivityForm({ id, data, descriptor, variables, roles, errors, readOnly, idTaken }: ActivityProps) {
  const { t } = useTranslation();
  const dispatch = useDesignerDispatch();
  const [draftId, setDraftId] = useState(id);
  const idProblem =
    draftId !== id &&
    (idTaken(draftId)
      ? t('designer.activityIdTaken')
      : !/^[A-Za-z_$][\w$-]*$/.test(draftId)
        ? t('designer.required')
        : null);
  const commitId = () => {
    if (draftId !== id && !idProblem) dispatch({ type: 'renameNode', id, newId: draftId });
    else setDraftId(id);
  };
  const setInput = (name: string, value: Json | undefined) => {
    const inputs = { ...data.inputs };
    if (isEmpty(value)) delete inputs[name];
    else inputs[name] = value!;
    const listsPorts = descriptor?.outcomesFromInput === name;
    dispatch({
      type: 'updateNode',
      id,
      patch: { inputs },
      coalesce: `${id}:${name}`,
      ports: listsPorts ? portsOf(descriptor, inputs).map((p) => p.name) : undefined,
    });
  };
  return (
    <Form layout="vertical" size="small" className="dz-form" data-testid="activity-form">
      <Typography.Title level={5}>{descriptor ? localized(descriptor.displayName) : data.type}</Typography.Title>
      {descriptor?.description && (
        <Typography.Paragraph type="secondary">{localized(descriptor.description)}</Typography.Paragraph>
      )}
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={errors.map((e, i) => (
            <div key={i}>{e}</div>
          ))}
          data-testid="activity-errors"
        />
      )}
      <Form.Item
        label={t('designer.activityId')}
        validateStatus={idProblem ? 'error' : undefined}
        help={idProblem || undefined}
      >
        <Input
          value={draftId}
          readOnly={readOnly}
          onChange={(e) => setDraftId(e.target.value.trim())}
          onBlur={commitId}
          onPressEnter={commitId}
          data-testid="activity-id"
        />
      </Form.Item>
      <Form.Item label={t('designer.displayName')}>
        <Input
          value={data.displayName ?? ''}
          readOnly={readOnly}
          placeholder={descriptor ? localized(descriptor.displayName) : undefined}
          data-testid="activity-displayName"
          onChange={(e) =>
            dispatch({
              type: 'updateNode',
              id,
              patch: { displayName: e.target.value || undefined },
              coalesce: `${id}:displayName`,
            })
          }
        />
      </Form.Item>
      {descriptor?.inputs.map((input) => {
        const problem = inputProblem(input, data.inputs[input.name]);
        return (
          <Form.Item
            key={input.name}
            label={localized(input.displayName)}
            required={input.required}
            tooltip={input.description ? localized(input.description) : undefined}
            validateStatus={problem ? 'error' : undefined}
            help={problem ? t(problem) : undefined}
          >
            <InputEditor
              input={input}
              value={data.inputs[input.name]}
              onChange={(v) => setInput(input.name, v)}
              variables={variables}
              roles={roles}
              readOnly={readOnly}
              testId={`input-${input.name}`}
            />
          </Form.Item>
        );
      })}
    </Form>
  );
}

function parseValue(type: string, text: string): Json | undefined {
  if (!text.trim()) return undefined;
  if (type === 'number') return Number.isFinite(Number(text)) ? Number(text) : text;
  return text;
}

function VariablesEditor({ variables, readOnly }: { variables: VariableJson[]; readOnly: boolean }) {
  const { t } = useTranslation();
  const dispatch = useDesignerDispatch();
  const set = (next: VariableJson[], field?: string) =>
    dispatch({ type: 'setMeta', patch: { variables: next }, coalesce: field });
  const change = (i: number, patch: Partial<VariableJson>, field?: string) =>
    set(
      variables.map((v, j) => {
        if (j !== i) return v;
        const next = { ...v, ...patch };
        if (next.value === undefined) delete next.value;
        return next;
      }),
      field && `variables:${i}:${field}`,
    );
  return (
    <div className="dz-list" data-testid="variables">
      {variables.map((v, i) => (
        <div key={i} className="dz-list-item">
          <label className="dz-list-field">
            <span>{t('designer.variableName')}</span>
            <Input
              size="small"
              value={v.name}
              readOnly={readOnly}
              onChange={(e) => change(i, { name: e.target.value.trim() }, 'name')}
              data-testid={`variable-${i}-name`}
            />
          </label>
          <label className="dz-list-field">
            <span>{t('designer.variableType')}</span>
            <Select
              size="small"
              value={v.type}
              disabled={readOnly}
              options={VARIABLE_TYPES.map((x) => ({ value: x, label: t(`designer.varType.${x}`) }))}
              onChange={(type) => change(i, { type, value: undefined })}
              data-testid={`variable-${i}-type`}
            />
          </label>
          <label className="dz-list-field">
            <span>{t('designer.variableValue')}</span>
            {v.type === 'boolean' ? (
              <Switch
                size="small"
                checked={v.value === true}
                disabled={readOnly}
                onChange={(x) => change(i, { value: x })}
              />
            ) : v.type === 'object' || v.type === 'array' ? (
              <JsonEditor
                rows={2}
                value={v.value}
                readOnly={readOnly}
                testId={`variable-${i}-value`}
                onChange={(x) => change(i, { value: x }, 'value')}
              />
            ) : (
              <Input
                size="small"
                value={v.value === undefined || v.value === null ? '' : String(v.value)}
                readOnly={readOnly}
                onChange={(e) => change(i, { value: parseValue(v.type, e.target.value) }, 'value')}
                data-testid={`variable-${i}-value`}
              />
            )}
          </label>
          {!readOnly && (
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              onClick={() => set(variables.filter((_, j) => j !== i))}
            />
          )}
        </div>
      ))}
      {!readOnly && (
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => set([...variables, { name: '', type: 'string' }])}
          data-testid="variable-add"
        >
          {t('designer.addVariable')}
        </Button>
      )}
    </div>
  );
}

function WorkflowForm({ meta, readOnly, errors }: { meta: DefinitionMeta; readOnly: boolean; errors: string[] }) {
  const { t } = useTranslation();
  const dispatch = useDesignerDispatch();
  return (
    <Form layout="vertical" size="small" className="dz-form" data-testid="workflow-form">
      <Typography.Title level={5}>{t('designer.workflow')}</Typography.Title>
      {errors.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={errors.map((e, i) => (
            <div key={i}>{e}</div>
          ))}
        />
      )}
      <Form.Item label={t('designer.definitionId')}>
        <Input value={meta.definitionId} readOnly disabled />
      </Form.Item>
      <Form.Item label={t('designer.name')} required validateStatus={meta.name.trim() ? undefined : 'error'}>
        <Input
          value={meta.name}
          readOnly={readOnly}
          data-testid="workflow-name"
          onChange={(e) => dispatch({ type: 'setMeta', patch: { name: e.target.value }, coalesce: 'name' })}
        />
      </Form.Item>
      <Form.Item label={t('designer.description')}>
        <Input.TextArea
          rows={3}
          value={meta.description ?? ''}
          readOnly={readOnly}
          onChange={(e) =>
            dispatch({ type: 'setMeta', patch: { description: e.target.value || undefined }, coalesce: 'description' })
          }
        />
      </Form.Item>
      <Form.Item label={t('designer.variables')}>
        <VariablesEditor variables={meta.variables} readOnly={readOnly} />
      </Form.Item>
    </Form>
  );
}

export interface PanelProps {
  selected: { id: string; data: ActivityData } | null;
  selectedCount: number;
  meta: DefinitionMeta;
  descriptors: Map<string, ActivityDescriptor>;
  roles: RoleView[];
  errorsById: Map<string, string[]>;
  readOnly: boolean;
  idTaken: (id: string) => boolean;
}

function PropertyPanel({
  selected,
  selectedCount,
  meta,
  descriptors,
  roles,
  errorsById,
  readOnly,
  idTaken,
}: PanelProps) {
  const { t } = useTranslation();
  const variables = meta.variables.map((v) => v.name).filter(Boolean);
  if (selected)
    return (
      <ActivityForm
        key={selected.id}
        id={selected.id}
        data={selected.data}
        descriptor={descriptors.get(selected.data.type)}
        variables={variables}
        roles={roles}
        errors={errorsById.get(selected.id) ?? []}
        readOnly={readOnly}
        idTaken={idTaken}
      />
    );
  if (selectedCount > 1)
    return (
      <Typography.Paragraph className="dz-form">
        {t('designer.selected', { count: selectedCount })}
      </Typography.Paragraph>
    );
  return <WorkflowForm meta={meta} readOnly={readOnly} errors={errorsById.get('') ?? []} />;
}

export default memo(PropertyPanel);
