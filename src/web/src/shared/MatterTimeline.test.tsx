import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import './testPolyfills';
import './commonStrings';
import { MatterTimeline } from './MatterTimeline';
import type { TimelineEntry } from './types';

/** WCAG 2's contrast ratio of a #rrggbb colour on white. */
function contrastOnWhite(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
  return 1.05 / (luminance + 0.05);
}

/** The colour a style uses: a plain #rrggbb, or the fallback of var(--name, #rrggbb). */
function hexOf(colour: string): string {
  const hex = /#[0-9a-f]{6}/i.exec(colour);
  if (!hex) throw new Error(`no #rrggbb in ${colour}`);
  return hex[0];
}

describe('MatterTimeline', () => {
  it('writes the outcome (：大事) in a green that reads at 4.5:1 or more on white, through the variable the large-text mode darkens', () => {
    const entry = {
      at: '2026-12-01T02:00:00Z',
      kind: 'taskCompleted',
      title: '网格听事',
      outcome: 'major',
      outcomeLabel: '大事（提交社区议事）',
    } as unknown as TimelineEntry;
    render(<MatterTimeline entries={[entry]} />);
    const label = screen.getByText('：大事（提交社区议事）');
    const style = label.getAttribute('style') ?? '';
    expect(style).toContain('--d-outcome');
    expect(contrastOnWhite(hexOf(style))).toBeGreaterThanOrEqual(4.5);
  });

  it('tells the meeting held: when it sat, and each motion about the matter with its proposer and fate', () => {
    const entry = {
      at: '2026-12-06T13:29:40Z',
      kind: 'meeting',
      title: '召开会议',
      outcomeLabel: '幸福里社区四方联席会议',
      meeting: {
        id: 'm1',
        title: '幸福里社区四方联席会议',
        openedAt: '2026-12-06T13:29:00Z',
        closedAt: '2026-12-06T13:29:40Z',
        motions: [
          {
            text: '使用公共收益约3200元更换路灯',
            proposedBy: '周主任',
            fate: 'sentToOwners',
            fateName: '提交业主表决',
          },
          { text: '先修一盏', proposedBy: null, fate: 'withdrawn', fateName: '提议人撤回' },
        ],
      },
    } as unknown as TimelineEntry;
    render(<MatterTimeline entries={[entry]} />);
    expect(screen.getByTestId('timeline-meeting-detail').textContent).toContain('开会时间：2026/12/06 21:29–21:29');
    const motions = screen.getAllByTestId('timeline-motion').map((m) => m.textContent);
    expect(motions).toEqual(['使用公共收益约3200元更换路灯（提议人：周主任）：提交业主表决', '先修一盏：提议人撤回']);
  });
});
