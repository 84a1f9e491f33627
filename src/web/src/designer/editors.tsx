// Editors for activity inputs, chosen by the input's UI hint from the descriptor. Structured inputs
// (switch cases, task outcomes, form fields, any other list or object) get a list editor and a JSON editor.
import { useEffect, useRef, useState } from 'react';
import { Button, Checkbox, Input, InputNumber, Select, Space, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { RoleView } from './designerApi';
import { formatDuration, parseDuration, type DurationUnit } from './duration';
import type { InputDescriptor, Json, JsonObject } from './types';

export interface EditorProps {
  input: InputDescriptor;
  value: Json | undefined;
  onChange: (value: Json | undefined) => void;
  variables: string[];
  roles: RoleView[];
  readOnly: boolean;
  testId: string;
}

export function isEmpty(value: Json | undefined): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && !value.trim()) ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** What is wrong with a value by the descriptor alone (required, type); the server checks the rest. */
export function inputProblem(
  input: InputDescriptor,
  value: Json | undefined,
): 'designer.required' | 'designer.mustBeNumber' | null {
  if (isEmpty(value))
    return input.required && (input.defaultValue === null || input.defaultValue === undefined)
      ? 'designer.required'
      : null;
  if (input.type === 'number' && typeof value !== 'number') return 'designer.mustBeNumber';
  return null;
}

type ColumnKind = 'text' | 'script' | 'select' | 'checkbox' | 'tags';
interface Column {
  key: string;
  kind: ColumnKind;
  options?: string[];
  /** Where the options' names are in the strings table (the stored value is a code, shown in words). */
  optionLabels?: string;
}

/** The item shape of each structured UI hint (docs/workflow-format.md). */
const LIST_COLUMNS: Record<string, Column[]> = {
  'switch-cases': [
    { key: 'name', kind: 'text' },
    { key: 'condition', kind: 'script' },
  ],
  outcomes: [
    { key: 'name', kind: 'text' },
    { key: 'label', kind: 'text' },
    { key: 'labelEn', kind: 'text' },
  ],
  'form-fields': [
    { key: 'name', kind: 'text' },
    { key: 'label', kind: 'text' },
    { key: 'labelEn', kind: 'text' },
    {
      key: 'type',
      kind: 'select',
      options: ['text', 'textarea', 'number', 'boolean', 'select', 'date'],
      optionLabels: 'designer.fieldType',
    },
    { key: 'required', kind: 'checkbox' },
    { key: 'options', kind: 'tags' },
    { key: 'forOutcomes', kind: 'tags' },
  ],
};

function withField(item: JsonObject, key: string, value: Json | undefined): JsonObject {
  const next = { ...item };
  if (isEmpty(value) || value === false) delete next[key];
  else next[key] = value!;
  return next;
}

function ObjectListEditor({
  columns,
  value,
  onChange,
  readOnly,
  testId,
}: { columns: Column[] } & Pick<EditorProps, 'value' | 'onChange' | 'readOnly' | 'testId'>) {
  const { t } = useTranslation();
  const items = (Array.isArray(value) ? value : []).map((v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? v : {},
  ) as JsonObject[];
  const set = (next: JsonObject[]) => onChange(next.length ? next : undefined);
  return (
    <div className="dz-list" data-testid={testId}>
      {items.map((item, i) => (
        <div key={i} className="dz-list-item">
          {columns.map((c) => {
            const v = item[c.key];
            const change = (x: Json | undefined) => set(items.map((it, j) => (j === i ? withField(it, c.key, x) : it)));
            const field = `${testId}-${i}-${c.key}`;
            const control =
              c.kind === 'checkbox' ? (
                <Checkbox
                  checked={v === true}
                  disabled={readOnly}
                  onChange={(e) => change(e.target.checked)}
                  data-testid={field}
                />
              ) : c.kind === 'select' ? (
                <Select
                  size="small"
                  value={typeof v === 'string' ? v : undefined}
                  disabled={readOnly}
                  onChange={change}
                  options={c.options!.map((o) => ({
                    value: o,
                    label: c.optionLabels ? t(`${c.optionLabels}.${o}`) : o,
                  }))}
                  data-testid={field}
                />
              ) : c.kind === 'tags' ? (
                <Select
                  size="small"
                  mode="tags"
                  value={Array.isArray(v) ? (v as string[]) : []}
                  disabled={readOnly}
                  onChange={(x: string[]) => change(x)}
                  data-testid={field}
                />
              ) : (
                <Input
                  size="small"
                  value={typeof v === 'string' ? v : ''}
                  readOnly={readOnly}
                  className={c.kind === 'script' ? 'dz-script' : undefined}
                  onChange={(e) => change(e.target.value)}
                  data-testid={field}
                />
              );
            return (
              <label key={c.key} className="dz-list-field">
                <span>{t(`designer.field.${c.key}`)}</span>
                {control}
              </label>
            );
          })}
          {!readOnly && (
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              onClick={() => set(items.filter((_, j) => j !== i))}
              data-testid={`${testId}-${i}-remove`}
            />
          )}
        </div>
      ))}
      {!readOnly && (
        <Button size="small" icon={<PlusOutlined />} onClick={() => set([...items, {}])} data-testid={`${testId}-add`}>
          {t('designer.addItem')}
        </Button>
      )}
    </div>
  );
}

/** Any JSON value as text; applied when it parses. */
export function JsonEditor({
  value,
  onChange,
  readOnly,
  testId,
  rows = 6,
}: Pick<EditorProps, 'value' | 'onChange' | 'readOnly' | 'testId'> & { rows?: number }) {
  const { t } = useTranslation();
  const shown = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [text, setText] = useState(shown);
  const [bad, setBad] = useState(false);
  // Reformat only when the value changes from elsewhere (undo, another editor), not while typing here.
  const emitted = useRef(shown);
  useEffect(() => {
    if (shown !== emitted.current) {
      setText(shown);
      setBad(false);
      emitted.current = shown;
    }
  }, [shown]);
  return (
    <>
      <Input.TextArea
        className="dz-script"
        rows={rows}
        value={text}
        readOnly={readOnly}
        status={bad ? 'error' : undefined}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          try {
            const parsed = e.target.value.trim() ? (JSON.parse(e.target.value) as Json) : undefined;
            emitted.current = parsed === undefined ? '' : JSON.stringify(parsed, null, 2);
            onChange(parsed);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && <Typography.Text type="danger">{t('designer.badJson')}</Typography.Text>}
    </>
  );
}

const DURATION_UNITS: DurationUnit[] = ['M', 'H', 'D'];

/**
 * A duration as a number and a unit (分钟 / 小时 / 天), stored as ISO 8601. A value in another form (mixed
 * units, an expression someone typed in the JSON) is shown as it is, with a way back to the number and unit.
 */
export function DurationEditor({
  value,
  defaultValue,
  onChange,
  readOnly,
  testId,
}: {
  value: string;
  defaultValue?: string;
  onChange: (value: Json | undefined) => void;
  readOnly: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const parsed = parseDuration(value);
  const [unit, setUnit] = useState<DurationUnit>(parsed?.unit ?? 'D');
  const shownUnit = parsed?.unit ?? unit;
  const fallback = defaultValue ? parseDuration(defaultValue) : null;
  if (value.trim() && !parsed)
    return (
      <>
        <Input value={value} readOnly={readOnly} data-testid={testId} onChange={(e) => onChange(e.target.value)} />
        <Typography.Text type="danger">{t('designer.durationOther')}</Typography.Text>
        {!readOnly && (
          <Button type="link" size="small" onClick={() => onChange(undefined)} data-testid={`${testId}-reset`}>
            {t('designer.durationReset')}
          </Button>
        )}
      </>
    );
  return (
    <Space.Compact style={{ width: '100%' }}>
      <InputNumber
        min={1}
        precision={0}
        style={{ width: '100%' }}
        value={parsed?.amount ?? null}
        disabled={readOnly}
        data-testid={testId}
        placeholder={
          fallback
            ? t('designer.durationDefault', { amount: fallback.amount, unit: t(`designer.unit.${fallback.unit}`) })
            : undefined
        }
        onChange={(amount) =>
          onChange(typeof amount === 'number' ? formatDuration({ amount, unit: shownUnit }) : undefined)
        }
      />
      <Select
        style={{ width: 90 }}
        value={shownUnit}
        disabled={readOnly}
        data-testid={`${testId}-unit`}
        options={DURATION_UNITS.map((u) => ({ value: u, label: t(`designer.unit.${u}`) }))}
        onChange={(u: DurationUnit) => {
          setUnit(u);
          if (parsed) onChange(formatDuration({ amount: parsed.amount, unit: u }));
        }}
      />
    </Space.Compact>
  );
}

export function InputEditor(props: EditorProps) {
  const { t } = useTranslation();
  const { input, value, onChange, variables, roles, readOnly, testId } = props;
  const [asJson, setAsJson] = useState(false);
  const text = typeof value === 'string' ? value : '';
  const placeholder =
    input.defaultValue !== null && input.defaultValue !== undefined
      ? t('designer.defaultValue', { value: JSON.stringify(input.defaultValue) })
      : undefined;
  const common = { disabled: readOnly, 'data-testid': testId, placeholder };
  switch (input.uiHint) {
    case 'multi-line':
      return (
        <Input.TextArea
          rows={3}
          value={text}
          readOnly={readOnly}
          data-testid={testId}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'script':
      return (
        <Input.TextArea
          className="dz-script"
          autoSize={{ minRows: 1, maxRows: 6 }}
          value={text}
          readOnly={readOnly}
          data-testid={testId}
          placeholder={placeholder ?? t('designer.script')}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    case 'number':
      return (
        <InputNumber
          style={{ width: '100%' }}
          value={typeof value === 'number' ? value : null}
          {...common}
          onChange={(n) => onChange(n === null ? undefined : n)}
        />
      );
    case 'checkbox':
      return (
        <Switch
          checked={value === true || (value === undefined && input.defaultValue === true)}
          disabled={readOnly}
          data-testid={testId}
          onChange={(checked) => onChange(checked)}
        />
      );
    case 'select':
      return (
        <Select
          allowClear
          style={{ width: '100%' }}
          value={typeof value === 'string' ? value : undefined}
          {...common}
          options={(input.options ?? []).map((o) => ({ value: o, label: o }))}
          onChange={(v) => onChange(v)}
        />
      );
    case 'variable':
      // A variable's name is the designer's own identifier, not interface text (translate="no").
      return (
        <div translate="no">
          <Select
            allowClear
            showSearch
            style={{ width: '100%' }}
            value={typeof value === 'string' ? value : undefined}
            {...common}
            options={variables.map((v) => ({ value: v, label: v }))}
            onChange={(v) => onChange(v)}
          />
        </div>
      );
    case 'role':
      return (
        <Select
          allowClear
          showSearch
          optionFilterProp="label"
          style={{ width: '100%' }}
          value={typeof value === 'string' ? value : undefined}
          {...common}
          options={roles.map((r) => ({ value: r.role, label: r.name }))}
          onChange={(v) => onChange(v)}
        />
      );
    case 'string-list':
      return (
        <Select
          mode={input.options?.length ? 'multiple' : 'tags'}
          style={{ width: '100%' }}
          {...common}
          value={Array.isArray(value) ? (value as string[]) : []}
          options={(input.options ?? []).map((o) => ({ value: o, label: o }))}
          onChange={(v: string[]) => onChange(v)}
        />
      );
    case 'duration':
      return (
        <DurationEditor
          value={text}
          defaultValue={typeof input.defaultValue === 'string' ? input.defaultValue : undefined}
          onChange={onChange}
          readOnly={readOnly}
          testId={testId}
        />
      );
    case 'single-line':
    case 'template':
      return (
        <Input
          value={text}
          readOnly={readOnly}
          data-testid={testId}
          placeholder={placeholder ?? (input.uiHint === 'template' ? t('designer.template') : undefined)}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
  const columns = LIST_COLUMNS[input.uiHint];
  return (
    <>
      {columns && !asJson ? (
        <ObjectListEditor columns={columns} value={value} onChange={onChange} readOnly={readOnly} testId={testId} />
      ) : (
        <JsonEditor value={value} onChange={onChange} readOnly={readOnly} testId={`${testId}-json`} />
      )}
      {columns && (
        <Button type="link" size="small" onClick={() => setAsJson(!asJson)}>
          {t(asJson ? 'designer.editList' : 'designer.editJson')}
        </Button>
      )}
    </>
  );
}
