// Grouped bars in plain SVG: one group per category (e.g. a grid), one bar per series (e.g. a rate).
import { asPercent, Legend, ValueGrid, type ChartProps } from './Axis';
import { bands, scaleLinear } from './scale';

export type { Series } from './Axis';

interface Props extends ChartProps {
  categories: string[];
  /** values[category][series]; null draws no bar (nothing to divide). */
  values: (number | null)[][];
}

const MARGIN = { top: 16, right: 12, bottom: 40, left: 48 };

export function BarChart({ categories, series, values, max = 1, format = asPercent, height = 260, title }: Props) {
  // Wide enough for the bars and for the legend underneath.
  const width = Math.max(
    600,
    series.length * 110 + MARGIN.left,
    categories.length * (series.length * 22 + 36) + MARGIN.left + MARGIN.right,
  );
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const y = scaleLinear([0, max], [innerH, 0]);
  const groups = bands(categories.length, innerW);
  const bar = series.length ? groups.band / series.length : 0;
  return (
    <svg width={width} height={height + 24} role="img" aria-label={title} data-testid="bar-chart">
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <ValueGrid max={max} width={innerW} y={y} format={format} />
        {categories.map((category, i) => (
          <g key={category} transform={`translate(${groups.start(i)},0)`}>
            {series.map((s, j) => {
              const value = values[i]?.[j];
              if (value === null || value === undefined) return null;
              return (
                <rect
                  key={s.key}
                  x={j * bar}
                  y={y(value)}
                  width={Math.max(bar - 2, 1)}
                  height={innerH - y(value)}
                  fill={s.colour}
                  data-value={value}
                >
                  <title>{`${category} · ${s.label}: ${format(value)}`}</title>
                </rect>
              );
            })}
            <text x={groups.band / 2} y={innerH + 16} textAnchor="middle" fontSize={12} fill="#595959">
              {category}
            </text>
          </g>
        ))}
        <line y1={innerH} y2={innerH} x2={innerW} stroke="#bfbfbf" />
      </g>
      <Legend series={series} y={height + 8} x={MARGIN.left} />
    </svg>
  );
}
