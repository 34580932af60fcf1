import { useId } from 'react';

/**
 * Small accessible SVG charts: the SVG is an image with a title and a description, and every
 * chart is followed by (or placed next to) a table of the same numbers, so nothing is only visual.
 */
export function BarChart({
  title,
  description,
  data,
  unit = '',
}: {
  title: string;
  description: string;
  data: { label: string; value: number }[];
  unit?: string;
}) {
  const id = useId();
  const max = Math.max(1, ...data.map((d) => d.value));
  const barH = 22;
  const labelW = 150;
  const width = 520;
  const height = data.length * (barH + 6) + 6;
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {data.map((d, i) => {
          const w = ((width - labelW - 60) * d.value) / max;
          const y = 6 + i * (barH + 6);
          return (
            <g key={d.label}>
              <text x={labelW - 6} y={y + barH * 0.7} textAnchor="end" className="chart-label">
                {d.label.length > 22 ? `${d.label.slice(0, 21)}…` : d.label}
              </text>
              <rect x={labelW} y={y} width={Math.max(1, w)} height={barH} className="chart-bar" />
              <text x={labelW + Math.max(1, w) + 4} y={y + barH * 0.7} className="chart-value">
                {d.value}
                {unit}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

export function ColumnChart({
  title,
  description,
  data,
}: {
  title: string;
  description: string;
  data: { label: string; a: number; b?: number }[];
}) {
  const id = useId();
  const max = Math.max(1, ...data.map((d) => Math.max(d.a, d.b ?? 0)));
  const width = 640;
  const height = 220;
  const plotH = 170;
  const colW = (width - 40) / Math.max(1, data.length);
  return (
    <figure className="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line x1={30} y1={plotH + 10} x2={width} y2={plotH + 10} className="chart-axis" />
        <text x={26} y={18} textAnchor="end" className="chart-value">
          {max}
        </text>
        {data.map((d, i) => {
          const x = 34 + i * colW;
          const ha = (plotH * d.a) / max;
          const hb = d.b !== undefined ? (plotH * d.b) / max : 0;
          const w = d.b !== undefined ? colW * 0.4 : colW * 0.7;
          return (
            <g key={d.label}>
              <rect x={x} y={plotH + 10 - ha} width={w} height={ha} className="chart-bar" />
              {d.b !== undefined ? (
                <rect x={x + w} y={plotH + 10 - hb} width={w} height={hb} className="chart-bar-b" />
              ) : null}
              {data.length <= 18 || i % Math.ceil(data.length / 12) === 0 ? (
                <text x={x + colW * 0.35} y={plotH + 26} textAnchor="middle" className="chart-label">
                  {d.label}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
