import { describe, expect, it } from 'vitest';
import { responsibleLine, type WorkItemSummary } from './types';

describe('responsibleLine', () => {
  const item = {
    responsibleUnit: '物业公司',
    levelName: '社区',
    orgUnit: { id: 'x', name: '幸福里社区' },
    roleName: '物业公司',
  } as unknown as WorkItemSummary;

  it('names the party once when the acting role is the unit itself', () => {
    expect(responsibleLine(item)).toBe('物业公司 · 社区 · 幸福里社区');
  });

  it('adds the acting role when it says something more', () => {
    expect(responsibleLine({ ...item, responsibleUnit: '幸福里物业服务中心' })).toBe(
      '幸福里物业服务中心 · 社区 · 幸福里社区 · 物业公司',
    );
  });
});
