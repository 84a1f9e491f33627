// A task's form drawn from its definition (the workflow's HumanTask form), with one button per outcome.
// Built from plain inputs and the antd parts the shell already loads, so the resident pages stay light.
import { useState } from 'react';
import { Alert, Button, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api';
import { useConfirm } from './confirm';
import { tasksApi } from './sharedApi';
import { useWrite } from './useWrite';
import { fieldErrors, initialValues, missingRequired, valuesToSend, type FormValues } from './taskForm';
import type { FormField, InboxTask } from './types';
import './commonStrings';

interface Props {
  task: InboxTask;
  onCompleted?: (task: InboxTask) => void;
}

const fieldStyle = { display: 'block', marginBottom: 14 } as const;
const labelStyle = { display: 'block', marginBottom: 4, fontWeight: 500 } as const;
const nativeStyle = {
  width: '100%',
  minHeight: 36,
  padding: '4px 8px',
  border: '1px solid #d9d9d9',
  borderRadius: 6,
  fontSize: 14,
} as const;

export function TaskForm({ task, onCompleted }: Props) {
  const { t } = useTranslation();
  const [values, setValues] = useState<FormValues>(() => initialValues(task.form));
  const confirm = useConfirm();
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Required fields left blank: outlined in red, named once in the message above the buttons.
  const [missing, setMissing] = useState<string[]>([]);
  const [missingMessage, setMissingMessage] = useState<string | null>(null);
  const send = useWrite(
    (outcome: string) => tasksApi.complete(task.id, outcome, valuesToSend(task.form, outcome, values)),
    {
      busyKey: (outcome) => outcome,
      onSuccess: (done) => onCompleted?.(done),
      onError: (_, e) => setErrors(e instanceof ApiError ? fieldErrors(e.problem.errors) : {}),
    },
  );
  const busy = send.busyKey;
  const message = missingMessage ?? send.error;

  // A field's complaint goes as soon as it is changed: it no longer describes what is there.
  const set = (name: string, value: FormValues[string]) => {
    setValues((v) => ({ ...v, [name]: value }));
    setErrors(({ [name]: _, ...rest }) => rest);
    setMissing((m) => {
      const left = m.filter((n) => n !== name);
      if (left.length !== m.length) setMissingMessage(left.length ? fillMessage(left) : null);
      return left;
    });
  };

  const fillMessage = (names: string[]) =>
    t('common.fillRequired', {
      fields: task.form
        .filter((f) => names.includes(f.name))
        .map((f) => f.label)
        .join('、'),
    });

  async function complete(outcome: string) {
    const blank = missingRequired(task.form, outcome, values);
    if (blank.length) {
      setErrors({});
      setMissing(blank);
      send.reset();
      setMissingMessage(fillMessage(blank));
      return;
    }
    setErrors({});
    setMissing([]);
    setMissingMessage(null);
    // A completion moves the workflow on and cannot be taken back: say what will happen first.
    const chosen = task.outcomes.find((o) => o.name === outcome);
    const label = chosen?.label ?? outcome;
    const go = await confirm({
      title: t('common.confirmOutcome', { outcome: label }),
      content: chosen?.confirm ?? t('common.outcomeGoesOn', { outcome: label }),
    });
    if (go) await send.run(outcome);
  }

  return (
    <form onSubmit={(e) => e.preventDefault()} data-testid="task-form" noValidate>
      {task.description && <p style={{ color: '#595959', marginTop: 0 }}>{task.description}</p>}
      {task.form.map((field) => (
        <FieldInput
          key={field.name}
          field={field}
          value={values[field.name]}
          error={errors[field.name]}
          missing={missing.includes(field.name)}
          onChange={(v) => set(field.name, v)}
        />
      ))}
      {message && <Alert type="error" title={message} showIcon style={{ marginBottom: 12 }} data-testid="task-error" />}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
        {task.outcomes.map((o) => (
          // No outcome is the default one: each is a decision the person makes on purpose.
          <Button
            key={o.name}
            loading={busy === o.name}
            disabled={!!busy && busy !== o.name}
            onClick={() => complete(o.name)}
            data-testid={`outcome-${o.name}`}
          >
            {o.label}
          </Button>
        ))}
      </div>
    </form>
  );
}

function FieldInput({
  field,
  value,
  error,
  missing,
  onChange,
}: {
  field: FormField;
  value: FormValues[string];
  error?: string;
  missing?: boolean;
  onChange: (value: FormValues[string]) => void;
}) {
  const { t } = useTranslation();
  const id = `field-${field.name}`;
  const label = (
    <span style={labelStyle}>
      {field.label}
      {field.required && <span style={{ color: '#c0392b' }}> *</span>}
    </span>
  );
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const status = error || missing ? 'error' : undefined;
  let input;
  switch (field.type) {
    case 'textarea':
      input = (
        <Input.TextArea id={id} rows={3} value={text} status={status} onChange={(e) => onChange(e.target.value)} />
      );
      break;
    case 'boolean':
      return (
        <div style={fieldStyle}>
          <label
            htmlFor={id}
            style={{ display: 'flex', alignItems: 'center', gap: 8, minHeight: 'var(--d-target, 36px)' }}
          >
            <input
              id={id}
              type="checkbox"
              checked={value === true}
              onChange={(e) => onChange(e.target.checked)}
              style={{ width: 20, height: 20 }}
            />
            {field.label}
          </label>
          {error && (
            <div style={{ color: '#c0392b' }} data-testid={`field-error-${field.name}`}>
              {error}
            </div>
          )}
        </div>
      );
    case 'select':
      input = (
        <select id={id} value={text} onChange={(e) => onChange(e.target.value || undefined)} style={nativeStyle}>
          <option value="">{t('common.choose')}</option>
          {(field.options ?? []).map((o, i) => (
            <option key={o} value={o}>
              {field.optionLabels?.[i] ?? o}
            </option>
          ))}
        </select>
      );
      break;
    case 'date':
      input = (
        <input
          id={id}
          type="date"
          value={text}
          onChange={(e) => onChange(e.target.value || undefined)}
          style={nativeStyle}
        />
      );
      break;
    case 'number':
      input = <Input id={id} type="number" value={text} status={status} onChange={(e) => onChange(e.target.value)} />;
      break;
    default:
      input = <Input id={id} value={text} status={status} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div style={fieldStyle} data-field={field.name}>
      <label htmlFor={id}>{label}</label>
      {input}
      {error && (
        <div style={{ color: '#c0392b', marginTop: 2 }} data-testid={`field-error-${field.name}`}>
          {error}
        </div>
      )}
    </div>
  );
}
