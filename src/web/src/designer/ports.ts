// The ports an activity can leave by: those its descriptor declares, then those listed in the input
// named by outcomesFromInput (names, or objects with a name) — as the server's OutcomesOf does.
import { localized } from '../shared/i18n';
import type { ActivityDescriptor, Json, JsonObject } from './types';

export interface Port {
  name: string;
  label: string;
}

function listedPort(item: Json): Port | null {
  if (typeof item === 'string') return item.trim() ? { name: item, label: item } : null;
  if (item && typeof item === 'object' && !Array.isArray(item) && typeof item.name === 'string' && item.name.trim()) {
    const zh = typeof item.label === 'string' ? item.label : undefined;
    const en = typeof item.labelEn === 'string' ? item.labelEn : undefined;
    return { name: item.name, label: localized({ 'zh-CN': zh || en || item.name, en: en || zh || item.name }) };
  }
  return null;
}

export function portsOf(descriptor: ActivityDescriptor | undefined, inputs: JsonObject): Port[] {
  if (!descriptor) return [];
  const ports: Port[] = descriptor.outcomes.map((o) => ({ name: o.name, label: localized(o.displayName) }));
  const listed = descriptor.outcomesFromInput ? inputs[descriptor.outcomesFromInput] : undefined;
  if (Array.isArray(listed))
    for (const item of listed) {
      const port = listedPort(item);
      if (port && !ports.some((p) => p.name === port.name)) ports.push(port);
    }
  return ports;
}

/** What a journal or a list shows for an outcome an activity left by: its port's label, else the name. */
export function outcomeLabel(descriptor: ActivityDescriptor | undefined, inputs: JsonObject, outcome: string): string {
  return portsOf(descriptor, inputs).find((p) => p.name === outcome)?.label ?? outcome;
}
