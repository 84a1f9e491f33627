import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { bands, scaleLinear, ticks } from './scale';
import { BarChart } from './BarChart';
import { LineChart, linePath } from './LineChart';

describe('chart scales', () => {
  it('maps a domain onto a range linearly, upside down for the y axis', () => {
    const y = scaleLinear([0, 1], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(1)).toBe(0);
    expect(y(0.25)).toBe(150);
    expect(scaleLinear([3, 3], [10, 20])(3)).toBe(10); // a flat domain does not divide by zero
  });

  it('gives evenly spaced ticks and bands that fit the width', () => {
    expect(ticks(1, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const b = bands(4, 400, 0.2);
    expect(b.step).toBe(100);
    expect(b.band).toBe(80);
    expect(b.start(1)).toBe(110);
  });

  it('breaks a line where a value is missing', () => {
    expect(
      linePath(
        [0.5, null, 1, 1],
        (i) => i * 10,
        (v) => 100 - v * 100,
      ),
    ).toBe('M0.0,50.0M20.0,0.0L30.0,0.0');
  });
});

describe('BarChart', () => {
  it('draws bar heights in proportion to the values and no bar for a missing one', () => {
    const { container } = render(
      <BarChart
        categories={['第一网格', '第二网格']}
        height={240}
        series={[
          { key: 'a', label: '响应率', colour: 'red' },
          { key: 'b', label: '满意率', colour: 'blue' },
        ]}
        values={[
          [1, 0.5],
          [0.25, null],
        ]}
      />,
    );
    const rects = [...container.querySelectorAll('rect[data-value]')];
    expect(rects).toHaveLength(3);
    const heights = rects.map((r) => Number(r.getAttribute('height')));
    // inner height = 240 - 16 - 40 = 184
    expect(heights).toEqual([184, 92, 46]);
    expect(container.textContent).toContain('第二网格');
    expect(container.textContent).toContain('100%');
  });
});

describe('LineChart', () => {
  it('puts one point per known value at its height', () => {
    const { container } = render(
      <LineChart
        periods={['1月', '2月', '3月']}
        height={236}
        series={[{ key: 'a', label: '办结率', colour: 'green' }]}
        values={[[0, null, 1]]}
      />,
    );
    const points = [...container.querySelectorAll('circle')].map((c) => Number(c.getAttribute('cy')));
    // inner height = 236 - 16 - 36 = 184: 0 at the bottom, 1 at the top
    expect(points).toEqual([184, 0]);
  });
});
