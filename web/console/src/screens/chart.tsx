// A bar chart of attempts over time (successes and failures stacked), drawn
// as SVG from the server's buckets.
import { relative } from '../ui';

export const ranges = [
  { id: '1h', label: 'Last hour, by minute', bucket: 60, since: () => floor(Date.now() - 3600_000, 60) },
  { id: '24h', label: 'Last 24 hours, by hour', bucket: 3600, since: () => floor(Date.now() - 24 * 3600_000, 3600) },
  { id: '7d', label: 'Last 7 days, by 6 hours', bucket: 6 * 3600, since: () => floor(Date.now() - 7 * 24 * 3600_000, 6 * 3600) },
];

function floor(ms: number, seconds: number): string {
  return new Date(Math.floor(ms / (seconds * 1000)) * seconds * 1000).toISOString();
}

export function OutcomeChart(props: { buckets: { start: string; successes: number; failures: number }[]; bucketSeconds: number }) {
  const { buckets } = props;
  const max = Math.max(1, ...buckets.map((b) => b.successes + b.failures));
  const w = 1000;
  const h = 160;
  const bw = w / Math.max(buckets.length, 1);
  const total = buckets.reduce((n, b) => n + b.successes + b.failures, 0);
  const failures = buckets.reduce((n, b) => n + b.failures, 0);
  return (
    <figure style={{ margin: 0 }} data-chart="outcomes" data-total={total}>
      <svg class="chart" viewBox={`0 0 ${w} ${h + 20}`} preserveAspectRatio="none" role="img" aria-label={`${total} attempts, ${failures} failed`}>
        {buckets.map((b, i) => {
          const sh = (b.successes / max) * h;
          const fh = (b.failures / max) * h;
          return (
            <g key={b.start}>
              <title>{`${new Date(b.start).toLocaleString()}: ${b.successes} succeeded, ${b.failures} failed`}</title>
              <rect class="s" x={i * bw + 1} y={h - sh} width={Math.max(bw - 2, 1)} height={sh} />
              <rect class="f" x={i * bw + 1} y={h - sh - fh} width={Math.max(bw - 2, 1)} height={fh} />
            </g>
          );
        })}
        <text class="axis" x={2} y={h + 15}>
          {buckets.length ? relative(new Date(buckets[0].start)) : ''}
        </text>
        <text class="axis" x={w - 2} y={h + 15} text-anchor="end">
          now
        </text>
        <text class="axis" x={2} y={10}>
          {max}
        </text>
      </svg>
      <figcaption class="legend">
        <span>
          <i style={{ background: '#3ba56b' }} />
          succeeded
        </span>
        <span>
          <i style={{ background: '#e0584d' }} />
          failed
        </span>
        <span>
          {total.toLocaleString()} attempts in this range, {failures.toLocaleString()} failed
        </span>
      </figcaption>
    </figure>
  );
}
