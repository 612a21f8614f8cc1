// The live attempts feed: every attempt of the workspace (or one webhook) as
// it is recorded, by any hookd process. Pausable and filterable; a dropped
// connection leaves a visible gap marker and what was recorded meanwhile is
// read again and put in its place.
import { useEffect, useRef, useState } from 'preact/hooks';
import { live, request } from '../api';
import { graphql } from '../gql';
import type { FeedAttemptFragment } from '../gql/graphql';
import { useQuery, useSubscription } from '../hooks';
import { href, setQuery, useLocation } from '../router';
import { useStore } from '../store';
import { AttemptLink, Badge, Empty, ErrorNote, Outcome, Screen, Time } from '../ui';

graphql(`
  fragment FeedAttempt on DeliveryAttempt {
    id
    number
    trigger
    startedAt
    durationMs
    success
    responseStatus
    errorKind
    error
    webhook { id name }
    delivery { id event { id type } }
  }
`);

const Recent = graphql(`
  query FeedRecent($workspaceId: ID!, $webhookId: ID, $first: Int) {
    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId, first: $first) {
      edges { node { ...FeedAttempt } }
    }
  }
`);

const Feed = graphql(`
  subscription FeedLive($workspaceId: ID!, $webhookId: ID) {
    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) { ...FeedAttempt }
  }
`);

const FeedWebhooks = graphql(`
  query FeedWebhooks($workspaceId: ID!) {
    webhooks(workspaceId: $workspaceId, first: 200, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name } }
    }
  }
`);

type Row = { kind: 'attempt'; at: number; attempt: FeedAttemptFragment } | { kind: 'gap'; at: number; id: string; until: number; recovered: number; more: boolean };

// How many attempts a gap reads back, and how many a paused feed holds.
const readBack = 100;
const holdAtMost = 1000;

// The feed keeps the newest rows only.
const keep = 200;

function sortRows(rows: Row[]): Row[] {
  return rows.sort((a, b) => b.at - a.at).slice(0, keep);
}

export function useFeed(workspaceId: string, webhookId: string | null, paused = false) {
  const [rows, setRows] = useState<Row[]>([]);
  const [held, setHeld] = useState<FeedAttemptFragment[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [ready, setReady] = useState(false);
  const { generation, droppedAt, backAt } = useStore(live);
  const seen = useRef(new Set<string>());
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  const add = (list: FeedAttemptFragment[]) => {
    const fresh = list.filter((a) => !seen.current.has(a.id));
    fresh.forEach((a) => seen.current.add(a.id));
    if (fresh.length) setRows((r) => sortRows([...r, ...fresh.map((a) => ({ kind: 'attempt' as const, at: Date.parse(a.startedAt), attempt: a }))]));
    return fresh.length;
  };

  // The latest attempts first, again when the filter changes.
  // An answer for an earlier filter or workspace is dropped.
  const current = useRef(0);
  useEffect(() => {
    const mine = ++current.current;
    seen.current = new Set();
    setRows([]);
    setHeld([]);
    setReady(false);
    request(Recent, { workspaceId, webhookId, first: 50 }).then(
      (d) => {
        if (mine !== current.current) return;
        add(d.deliveryAttempts.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? []);
        setReady(true);
      },
      (e) => {
        if (mine !== current.current) return;
        setError(e);
        setReady(true);
      },
    );
  }, [workspaceId, webhookId]);

  // After a reconnection: mark the gap and read what was recorded meanwhile.
  const lastGeneration = useRef(generation);
  useEffect(() => {
    if (generation === lastGeneration.current) return;
    lastGeneration.current = generation;
    const from = droppedAt ?? Date.now();
    const until = backAt ?? Date.now();
    const mine = current.current;
    request(Recent, { workspaceId, webhookId, first: readBack }).then(
      (d) => {
        if (mine !== current.current) return;
        const list = d.deliveryAttempts.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
        const recovered = add(list.filter((a) => Date.parse(a.startedAt) >= from - 5000));
        // All it read fell in the gap: there may have been more.
        const more = list.length === readBack && list.every((a) => Date.parse(a.startedAt) >= from - 5000);
        setRows((r) => sortRows([...r, { kind: 'gap', at: from, until, id: `gap-${generation}`, recovered, more }]));
      },
      (e) => mine === current.current && setError(e),
    );
  }, [generation]);

  useSubscription(
    Feed,
    { workspaceId, webhookId },
    (d) => {
      if (pausedRef.current) setHeld((h) => [d.deliveryAttempts, ...h].slice(0, holdAtMost));
      else add([d.deliveryAttempts]);
    },
    { onError: (e) => setError(e) },
  );

  const release = () => {
    add(held);
    setHeld([]);
  };
  return { rows, held, error, ready, release };
}

export function LiveFeed(props: { workspaceId: string }) {
  const { query } = useLocation();
  const webhookId = query.get('webhook');
  const outcome = query.get('outcome') ?? '';
  const [paused, setPaused] = useState(false);
  const feed = useFeed(props.workspaceId, webhookId, paused);
  const webhooks = useQuery(FeedWebhooks, { workspaceId: props.workspaceId });
  const { state } = useStore(live);
  const shown = feed.rows.filter((r) => r.kind === 'gap' || !outcome || (outcome === 'success') === r.attempt.success);
  return (
    <Screen
      name="live"
      title={
        <>
          <span class={'live-dot' + (state === 'connected' && !paused ? '' : ' off')} />
          Live feed
        </>
      }
      sub="Every attempt as it is recorded, by any hookd process."
      ready={feed.ready}
      actions={
        paused ? (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setPaused(false);
              feed.release();
            }}
          >
            Resume{feed.held.length ? ` (${feed.held.length} new)` : ''}
          </button>
        ) : (
          <button type="button" onClick={() => setPaused(true)}>
            Pause
          </button>
        )
      }
    >
      <div class="filters">
        <label>
          Webhook
          <select name="webhook" value={webhookId ?? ''} onChange={(e) => setQuery({ webhook: (e.target as HTMLSelectElement).value || null })}>
            <option value="">All webhooks</option>
            {(webhooks.data?.webhooks.edges ?? []).flatMap((e) =>
              e?.node ? [
                <option key={e.node.id} value={e.node.id}>
                  {e.node.name}
                </option>,
              ] : [],
            )}
          </select>
        </label>
        <label>
          Outcome
          <select name="outcome" value={outcome} onChange={(e) => setQuery({ outcome: (e.target as HTMLSelectElement).value || null })}>
            <option value="">All</option>
            <option value="success">Succeeded</option>
            <option value="failure">Failed</option>
          </select>
        </label>
        {paused && <Badge kind="wait">paused{feed.held.length ? `: ${feed.held.length} held` : ''}</Badge>}
      </div>
      <ErrorNote error={feed.error} />
      {feed.ready && shown.length === 0 && <Empty>No attempts yet. They appear here the moment any hookd process records one: publish an event or use Trigger Now on a webhook.</Empty>}
      {shown.length > 0 && <AttemptTable rows={shown} />}
    </Screen>
  );
}

export function AttemptTable(props: { rows: Row[]; compact?: boolean }) {
  return (
    <table data-list="attempts">
      <thead>
        <tr>
          <th>When</th>
          <th>Webhook</th>
          <th>Event</th>
          <th>Trigger</th>
          <th>Outcome</th>
          <th>Duration</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) =>
          r.kind === 'gap' ? (
            <tr class="gap" key={r.id} data-gap="true">
              <td colSpan={7}>
                The live connection was down from {new Date(r.at).toLocaleTimeString()} to {new Date(r.until).toLocaleTimeString()}:{' '}
                {r.recovered === 0 ? 'no attempt was recorded meanwhile' : r.recovered === 1 ? '1 attempt recorded meanwhile was read again and is shown in place' : `${r.recovered} attempts recorded meanwhile were read again and are shown in place`}
                {r.more ? ' (the latest ones only: there were more; the events and deliveries screens list them all)' : ''}.
              </td>
            </tr>
          ) : (
            <tr key={r.attempt.id} data-id={r.attempt.id} data-success={String(r.attempt.success)}>
              <td>
                <Time value={r.attempt.startedAt} />
              </td>
              <td>{r.attempt.webhook ? <a href={href(`/webhooks/${r.attempt.webhook.id}`)}>{r.attempt.webhook.name}</a> : <span class="muted">deleted</span>}</td>
              <td>{r.attempt.delivery ? <a href={href(`/events/${r.attempt.delivery.event.id}`)}>{r.attempt.delivery.event.type}</a> : ''}</td>
              <td>{r.attempt.trigger.toLowerCase()}</td>
              <td>
                <Outcome success={r.attempt.success} status={r.attempt.responseStatus} errorKind={r.attempt.errorKind} />
              </td>
              <td>{r.attempt.durationMs} ms</td>
              <td>
                <AttemptLink id={r.attempt.id}>View</AttemptLink>
              </td>
            </tr>
          ),
        )}
      </tbody>
    </table>
  );
}
