// The rules of a task's generic form, apart from how it is drawn: which fields an outcome asks for,
// which required ones are still empty, and the values to send. The server checks again (HumanTask.Check).
import type { FormField } from './types';

export type FormValues = Record<string, string | number | boolean | undefined>;

export function appliesTo(field: FormField, outcome: string): boolean {
  return !field.forOutcomes?.length || field.forOutcomes.includes(outcome);
}

export function initialValues(form: FormField[]): FormValues {
  // A checkbox always has an answer: unticked is "no".
  return Object.fromEntries(form.filter((f) => f.type === 'boolean').map((f) => [f.name, false]));
}

function isBlank(value: FormValues[string]): boolean {
  return value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Names of the required fields the outcome asks for that are still blank. */
export function missingRequired(form: FormField[], outcome: string, values: FormValues): string[] {
  return form.filter((f) => f.required && appliesTo(f, outcome) && isBlank(values[f.name])).map((f) => f.name);
}

/** What to send for an outcome: only its fields, blanks left out, numbers as numbers. */
export function valuesToSend(form: FormField[], outcome: string, values: FormValues): Record<string, unknown> {
  const sent: Record<string, unknown> = {};
  for (const field of form) {
    const value = values[field.name];
    if (!appliesTo(field, outcome) || isBlank(value)) continue;
    sent[field.name] = field.type === 'number' ? Number(value) : typeof value === 'string' ? value.trim() : value;
  }
  return sent;
}

/** Field errors of a Problem Details answer to a completion ("values.note") keyed by field name. */
export function fieldErrors(errors: Record<string, string[]> | undefined): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const [key, messages] of Object.entries(errors ?? {}))
    byField[key.replace(/^values\./, '')] = messages.join(' ');
  return byField;
}
