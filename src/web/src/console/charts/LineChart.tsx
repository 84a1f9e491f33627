// Lines over time in plain SVG: one point per period (e.g. a month) per series; a missing value breaks the line.
import { asPercent, Legend, ValueGrid, type ChartProps } from './Axis';
import { scaleLinear } from './scale';

interface Props extends ChartProps {
  periods: string[];
  /** values[series][period] */
  values: (number | null)[][];
}

const MARGIN = { top: 16, right: 36, bottom: 36, left: 48 };

/** The SVG path of one series: segments between known values, broken where a value is missing. */
export function linePath(points: (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let path = '';
  let pen = false;
  points.forEach((v, i) => {
    if (v === null) {
      pen = false;
      return;
    }
    path += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return path;
}

export function LineChart({ periods, series, values, max = 1, format = asPercent, height = 260, title }: Props) {
  const width = Math.max(600, series.length * 110 + MARGIN.left, periods.length * 90 + MARGIN.left + MARGIN.right);
  const innerW = width - MARGIN.left - MARGIN.right;
  const innerH = height - MARGIN.top - MARGIN.bottom;
  const x = scaleLinear([0, Math.max(periods.length - 1, 1)], [0, innerW]);
  const y = scaleLinear([0, max], [innerH, 0]);
  return (
    <svg width={width} height={height + 24} role="img" aria-label={title} data-testid="line-chart">
      <g transform={`translate(${MARGIN.left},${MARGIN.top})`}>
        <ValueGrid max={max} width={innerW} y={y} format={format} />
        {periods.map((p, i) => (
          <text key={p} x={x(i)} y={innerH + 18} textAnchor="middle" fontSize={12} fill="#595959">
            {p}
          </text>
        ))}
        {series.map((s, j) => (
          <g key={s.key}>
            <path d={linePath(values[j] ?? [], x, y)} fill="none" stroke={s.colour} strokeWidth={2} />
            {(values[j] ?? []).map((v, i) =>
              v === null ? null : (
                <circle key={i} cx={x(i)} cy={y(v)} r={3} fill={s.colour}>
                  <title>{`${periods[i]} · ${s.label}: ${format(v)}`}</title>
                </circle>
              ),
            )}
          </g>
        ))}
      </g>
      <Legend series={series} y={height + 8} x={MARGIN.left} />
    </svg>
  );
}
