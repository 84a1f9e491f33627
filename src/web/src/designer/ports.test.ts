import { describe, expect, it } from 'vitest';
import { outcomeLabel, portsOf } from './ports';
import i18n from '../shared/i18n';
import type { ActivityDescriptor, JsonObject } from './types';

const name = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const task: ActivityDescriptor = {
  type: 'HumanTask',
  category: { name: 'Human', displayName: name('人工', 'Human') },
  displayName: name('人工任务', 'Human task'),
  inputs: [],
  outcomes: [],
  outcomesFromInput: 'outcomes',
  waits: true,
};
const switchDescriptor: ActivityDescriptor = {
  ...task,
  type: 'Switch',
  outcomes: [{ name: 'Default', displayName: name('默认', 'Default') }],
  outcomesFromInput: 'cases',
};

describe('ports of an activity', () => {
  it('come from the input its descriptor names, with labels in the current language', async () => {
    const inputs: JsonObject = {
      outcomes: [{ name: 'ok', label: '同意', labelEn: 'Agree' }, { name: 'no', label: '不同意' }, { name: '' }],
    };
    expect(portsOf(task, inputs)).toEqual([
      { name: 'ok', label: '同意' },
      { name: 'no', label: '不同意' },
    ]);
    await i18n.changeLanguage('en');
    try {
      expect(portsOf(task, inputs)).toEqual([
        { name: 'ok', label: 'Agree' },
        { name: 'no', label: '不同意' },
      ]);
    } finally {
      await i18n.changeLanguage('zh-CN');
    }
  });

  it('follow the declared outcomes, skip repeats and accept plain names', () => {
    const ports = portsOf(switchDescriptor, {
      cases: [{ name: 'high', condition: 'x > 1' }, { name: 'Default' }, 'low', 'low'],
    });
    expect(ports.map((p) => p.name)).toEqual(['Default', 'high', 'low']);
    expect(ports[0].label).toBe('默认');
  });

  it('are the declared ones when the input is missing or not a list', () => {
    expect(portsOf(switchDescriptor, {}).map((p) => p.name)).toEqual(['Default']);
    expect(portsOf(switchDescriptor, { cases: 'oops' }).map((p) => p.name)).toEqual(['Default']);
    expect(portsOf(undefined, {})).toEqual([]);
  });

  it('name an outcome in a journal by its label, and by its code only when it has none', () => {
    const outcomes = { outcomes: [{ name: 'major', label: '大事（提交社区议事）' }, 'plain'] };
    expect(outcomeLabel(task, outcomes, 'major')).toBe('大事（提交社区议事）');
    expect(outcomeLabel(switchDescriptor, {}, 'Default')).toBe('默认');
    expect(outcomeLabel(task, outcomes, 'plain')).toBe('plain');
    expect(outcomeLabel(undefined, {}, 'Done')).toBe('Done');
  });
});
