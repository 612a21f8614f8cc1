// The workspace overview: its webhooks, the failing ones, recent attempts as
// they happen, and the attempt rate, all from the server's own figures.
import { useEffect, useRef } from 'preact/hooks';
import { graphql } from '../gql';
import { useQuery } from '../hooks';
import { href } from '../router';
import { may, session } from '../session';
import { Badge, Empty, ErrorNote, Screen, Time } from '../ui';
import { OutcomeChart } from './chart';
import { AttemptTable, useFeed } from './live';

const OverviewQuery = graphql(`
  query Overview($workspaceId: ID!, $since: Time!) {
    node(id: $workspaceId) {
      ... on Workspace {
        id
        name
        exclusiveEventTypes
        outcomes(since: $since, bucketSeconds: 60) { start successes failures }
      }
    }
    all: webhooks(workspaceId: $workspaceId, first: 1) { totalCount }
    enabled: webhooks(workspaceId: $workspaceId, first: 1, where: { enabled: true }) { totalCount }
    failing: webhooks(workspaceId: $workspaceId, first: 5, failing: true) {
      totalCount
      edges {
        node {
          id
          name
          url
          enabled
          statistics { failuresSinceLastSuccess lastFailureAt lastSuccessAt }
        }
      }
    }
    eventTypes(workspaceId: $workspaceId, first: 1) { totalCount }
  }
`);

function hourAgo(): string {
  return new Date(Math.floor((Date.now() - 3600_000) / 60_000) * 60_000).toISOString();
}

export function Overview(props: { workspaceId: string }) {
  const since = useRef(hourAgo());
  const q = useQuery(OverviewQuery, { workspaceId: props.workspaceId, since: since.current }, { refresh: true, keep: true });
  const feed = useFeed(props.workspaceId, null);
  const can = may(session.get().viewer);

  // New attempts refresh the figures, at most every 2 s.
  const latest = feed.rows[0]?.kind === 'attempt' ? feed.rows[0].attempt.id : null;
  const last = useRef(0);
  useEffect(() => {
    if (!latest || !q.data) return;
    const wait = Math.max(0, 2000 - (Date.now() - last.current));
    const t = setTimeout(() => {
      last.current = Date.now();
      since.current = hourAgo();
      q.reload();
    }, wait);
    return () => clearTimeout(t);
  }, [latest]);

  const ws = q.data?.node && 'outcomes' in q.data.node ? q.data.node : null;
  const buckets = ws?.outcomes ?? [];
  const lastFive = buckets.slice(-5);
  const rate = lastFive.reduce((n, b) => n + b.successes + b.failures, 0) / Math.max(lastFive.length, 1);
  const hour = buckets.reduce((n, b) => n + b.successes + b.failures, 0);
  const failedHour = buckets.reduce((n, b) => n + b.failures, 0);
  const failing = q.data?.failing.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];

  return (
    <Screen name="overview" title={ws?.name ?? 'Overview'} ready={!!q.data || !!q.error} sub={ws && <code>{ws.id}</code>}>
      <ErrorNote error={q.error} />
      {q.data && (
        <>
          <div class="grid">
            <a class="stat" href={href('/webhooks')} data-stat="webhooks">
              <div class="value">{q.data.all.totalCount}</div>
              <div class="name">webhooks ({q.data.enabled.totalCount} enabled)</div>
            </a>
            <a class="stat" href={href('/webhooks', { status: 'failing' })} data-stat="failing">
              <div class="value">{q.data.failing.totalCount}</div>
              <div class="name">failing webhooks</div>
            </a>
            <a class="stat" href={href('/event-types')} data-stat="eventTypes">
              <div class="value">{q.data.eventTypes.totalCount}</div>
              <div class="name">event types</div>
            </a>
            <div class="stat" data-stat="rate">
              <div class="value">{rate.toFixed(rate < 10 ? 1 : 0)}</div>
              <div class="name">attempts per minute (last 5 minutes)</div>
            </div>
            <div class="stat" data-stat="hour">
              <div class="value">{hour.toLocaleString()}</div>
              <div class="name">attempts in the last hour, {failedHour.toLocaleString()} failed</div>
            </div>
          </div>
          {q.data.all.totalCount === 0 && (
            <Empty>
              <p>This workspace has no webhooks yet.</p>
              <p>
                {can.write ? (
                  <>
                    Start with the <a href={href('/event-types')}>event type catalog</a>, then <a href={href('/webhooks/new')}>create a webhook</a>.
                  </>
                ) : (
                  'Ask someone with write access to create one.'
                )}
              </p>
            </Empty>
          )}
          <h2>Attempts in the last hour</h2>
          <OutcomeChart buckets={buckets} bucketSeconds={60} />
          <h2>Failing webhooks</h2>
          {failing.length === 0 ? (
            <p class="muted">No webhook is failing.</p>
          ) : (
            <table data-list="failing">
              <thead>
                <tr>
                  <th>Webhook</th>
                  <th>Failures since last success</th>
                  <th>Last failure</th>
                  <th>Last success</th>
                </tr>
              </thead>
              <tbody>
                {failing.map((w) => (
                  <tr key={w.id} data-id={w.id}>
                    <td>
                      <a href={href(`/webhooks/${w.id}/deliveries`, { status: 'FAILED' })}>{w.name}</a> {!w.enabled && <Badge kind="muted">disabled</Badge>}
                      <div class="muted">
                        <code>{w.url}</code>
                      </div>
                    </td>
                    <td>
                      <Badge kind="bad">{w.statistics.failuresSinceLastSuccess}</Badge>
                    </td>
                    <td>
                      <Time value={w.statistics.lastFailureAt} />
                    </td>
                    <td>
                      <Time value={w.statistics.lastSuccessAt} empty="never" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h2 style={{ marginTop: '16px' }}>
            Recent attempts <a href={href('/live')} class="muted" style={{ fontSize: '13px', fontWeight: 400 }}>open the live feed</a>
          </h2>
          {feed.rows.length === 0 ? <p class="muted">No attempts yet.</p> : <AttemptTable rows={feed.rows.slice(0, 10)} />}
        </>
      )}
    </Screen>
  );
}
