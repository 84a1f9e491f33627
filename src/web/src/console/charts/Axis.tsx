// What both charts draw the same way: horizontal grid lines with value labels, and the legend.
import { ticks } from './scale';

export interface Series {
  key: string;
  label: string;
  colour: string;
}

/** The common inputs of a chart: its series, the top of its value axis and how values read. */
export interface ChartProps {
  series: Series[];
  max?: number;
  format?: (value: number) => string;
  height?: number;
  title?: string;
}

export const asPercent = (v: number) => `${Math.round(v * 100)}%`;

export function ValueGrid({
  max,
  width,
  y,
  format,
}: {
  max: number;
  width: number;
  y: (v: number) => number;
  format: (v: number) => string;
}) {
  return (
    <>
      {ticks(max).map((v) => (
        <g key={v} transform={`translate(0,${y(v)})`}>
          <line x2={width} stroke="#f0f0f0" />
          <text x={-6} dy="0.32em" textAnchor="end" fontSize={11} fill="#8c8c8c">
            {format(v)}
          </text>
        </g>
      ))}
    </>
  );
}

export function Legend({ series, x, y }: { series: Series[]; x: number; y: number }) {
  return (
    <g transform={`translate(${x},${y})`}>
      {series.map((s, i) => (
        <g key={s.key} transform={`translate(${i * 110},0)`}>
          <rect width={10} height={10} y={-5} fill={s.colour} />
          <text x={14} dy="0.32em" fontSize={12} fill="#595959">
            {s.label}
          </text>
        </g>
      ))}
    </g>
  );
}
