// Events: the published events, newest first, filtered by type, entity and
// time (all kept in the address), and one event with its payload and its
// deliveries, each with its attempts, followed live.
import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../gql';
import type { EventWhereInput } from '../gql/graphql';
import { useMutation, useQuery, useSubscription } from '../hooks';
import { href, setQuery, useLocation } from '../router';
import { may, session } from '../session';
import { useStore } from '../store';
import { AttemptLink, Empty, ErrorNote, Loading, Outcome, Pager, Screen, Status, TextView, Time } from '../ui';

const EventsList = graphql(`
  query EventsList($workspaceId: ID!, $first: Int, $after: Cursor, $where: EventWhereInput) {
    events(workspaceId: $workspaceId, first: $first, after: $after, where: $where, orderBy: { field: OCCURRED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          id
          type
          entityType
          entityId
          idempotencyKey
          occurredAt
          deliveries { totalCount }
        }
      }
    }
  }
`);

const EventsTypeNames = graphql(`
  query EventsTypeNames($workspaceId: ID!) {
    eventTypes(workspaceId: $workspaceId, first: 500, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name } }
    }
  }
`);

const EventDetailsQuery = graphql(`
  query EventDetails($id: ID!, $first: Int, $after: Cursor) {
    node(id: $id) {
      ... on Event {
        id
        type
        payload
        entityType
        entityId
        idempotencyKey
        occurredAt
        createdAt
        deliveries(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges {
            node {
              id
              status
              attemptCount
              nextAttemptAt
              createdAt
              completedAt
              webhook { id name }
              attempts { id number trigger startedAt durationMs success responseStatus errorKind }
            }
          }
        }
      }
    }
  }
`);

const EventAttempts = graphql(`
  subscription EventAttempts($workspaceId: ID!, $eventId: ID!) {
    deliveryAttempts(workspaceId: $workspaceId, eventId: $eventId) { id }
  }
`);

const EventRetryDelivery = graphql(`
  mutation EventRetryDelivery($id: ID!) {
    retryDelivery(id: $id) { id status attemptCount nextAttemptAt }
  }
`);

const pageSize = 25;

// The address keeps times as RFC 3339; datetime-local inputs show and take
// local times.
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type Filters = { type: string; entityType: string; entityId: string; since: string; until: string };

function readFilters(query: URLSearchParams): Filters {
  return {
    type: query.get('type') ?? '',
    entityType: query.get('entityType') ?? '',
    entityId: query.get('entityId') ?? '',
    since: query.get('since') ?? '',
    until: query.get('until') ?? '',
  };
}

export function Events(props: { workspaceId: string }) {
  const { query } = useLocation();
  const { viewer } = useStore(session);
  const can = may(viewer);
  const applied = readFilters(query);
  const after = query.get('after');
  const [typed, setTyped] = useState<Filters>(applied);

  // Back, forward and links change the address: the form follows it, field
  // by field, so a change of one filter never undoes what is being typed in
  // another.
  const key = JSON.stringify(applied);
  const previous = useRef(applied);
  useEffect(() => {
    const before = previous.current;
    previous.current = applied;
    const changed = (Object.keys(applied) as (keyof Filters)[]).filter((k) => applied[k] !== before[k]);
    if (changed.length) setTyped((f) => ({ ...f, ...Object.fromEntries(changed.map((k) => [k, applied[k]])) }));
  }, [key]);

  const where: EventWhereInput = {};
  if (applied.type) where.type = applied.type;
  if (applied.entityType) where.entityType = applied.entityType;
  if (applied.entityId) where.entityID = applied.entityId;
  if (applied.since) where.occurredAtGTE = applied.since;
  if (applied.until) where.occurredAtLT = applied.until;
  const q = useQuery(EventsList, { workspaceId: props.workspaceId, first: pageSize, after, where });
  const types = useQuery(EventsTypeNames, { workspaceId: props.workspaceId });
  const typeNames = types.data?.eventTypes.edges?.flatMap((e) => (e?.node ? [e.node.name] : [])) ?? [];
  const conn = q.data?.events;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const filtered = Object.values(applied).some(Boolean);

  const apply = (f: Filters) =>
    setQuery({
      type: f.type.trim() || null,
      entityType: f.entityType.trim() || null,
      entityId: f.entityId.trim() || null,
      since: f.since || null,
      until: f.until || null,
      after: null,
    });
  const text = (k: keyof Filters) => (e: Event) => setTyped((f) => ({ ...f, [k]: (e.target as HTMLInputElement).value }));
  // A text filter applies when it is left or Enter is pressed. Each control
  // changes only its own part of the address, so quick changes of several
  // never undo one another.
  const commit = (k: keyof Filters) => (e: Event) => setQuery({ [k]: (e.target as HTMLInputElement).value.trim() || null, after: null });
  const time = (k: 'since' | 'until') => (e: Event) => {
    const value = fromLocalInput((e.target as HTMLInputElement).value) ?? '';
    setTyped((f) => ({ ...f, [k]: value }));
    setQuery({ [k]: value || null, after: null });
  };

  return (
    <Screen name="events" title="Events" sub="Published events, newest first, with the deliveries they made." ready={!!q.data || !!q.error}>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          apply(typed);
        }}
      >
        <label>
          Event type
          <input name="type" list="events-type-names" value={typed.type} autoComplete="off" placeholder="e.g. order.created" onInput={text('type')} onChange={commit('type')} />
          <datalist id="events-type-names">
            {typeNames.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </label>
        <label>
          Entity type
          <input name="entityType" value={typed.entityType} autoComplete="off" placeholder="e.g. supplier" onInput={text('entityType')} onChange={commit('entityType')} />
        </label>
        <label>
          Entity ID
          <input name="entityId" value={typed.entityId} autoComplete="off" placeholder="e.g. 42" onInput={text('entityId')} onChange={commit('entityId')} />
        </label>
        <label>
          Occurred since
          <input type="datetime-local" name="since" value={toLocalInput(typed.since)} onChange={time('since')} />
        </label>
        <label>
          Occurred before
          <input type="datetime-local" name="until" value={toLocalInput(typed.until)} onChange={time('until')} />
        </label>
        <button type="submit">Apply filters</button>
        {filtered && (
          <button
            type="button"
            onClick={() => {
              const none = { type: '', entityType: '', entityId: '', since: '', until: '' };
              setTyped(none);
              apply(none);
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      <ErrorNote error={q.error} />
      {!conn && !q.error && <Loading />}
      {conn && rows.length === 0 && (
        <Empty>
          {filtered ? (
            <p>No event matches these filters. Widen the time range or clear the filters.</p>
          ) : (
            <>
              <p>No events yet.</p>
              <p>
                {can.publish ? (
                  <>
                    <a href={href('/publish')}>Publish one</a> (or call publishEvent) and it is listed here with its deliveries.
                  </>
                ) : (
                  'Events appear here once they are published with publishEvent.'
                )}
              </p>
            </>
          )}
        </Empty>
      )}
      {rows.length > 0 && (
        <table data-list="events">
          <thead>
            <tr>
              <th>Type</th>
              <th>Entity</th>
              <th>Occurred</th>
              <th>Deliveries</th>
              <th>Idempotency key</th>
              <th>ID</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((ev) => (
              <tr key={ev.id} data-id={ev.id}>
                <td>
                  <a href={href(`/events/${ev.id}`)}>{ev.type}</a>
                </td>
                <td>{ev.entityType ? `${ev.entityType}:${ev.entityId ?? ''}` : <span class="muted">—</span>}</td>
                <td>
                  <Time value={ev.occurredAt} />
                </td>
                <td>{ev.deliveries.totalCount}</td>
                <td>{ev.idempotencyKey ? <code>{ev.idempotencyKey}</code> : <span class="muted">—</span>}</td>
                <td>
                  <a href={href(`/events/${ev.id}`)}>
                    <code>{ev.id}</code>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pageInfo={conn?.pageInfo} total={conn?.totalCount} />
    </Screen>
  );
}

export function EventDetails(props: { id: string }) {
  const { query } = useLocation();
  const { viewer, workspaceId } = useStore(session);
  const can = may(viewer);
  const after = query.get('after');
  const q = useQuery(EventDetailsQuery, { id: props.id, first: pageSize, after }, { refresh: true });
  const retry = useMutation(EventRetryDelivery);
  const [retried, setRetried] = useState<string | null>(null);
  const ev = q.data?.node && 'payload' in q.data.node ? q.data.node : null;

  // Every attempt made for this event re-reads its deliveries (a burst of
  // attempts, one read).
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  useSubscription(
    EventAttempts,
    { workspaceId: workspaceId ?? '', eventId: props.id },
    () => {
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        q.reload();
      }, 300);
    },
    { skip: !workspaceId || !ev },
  );

  const runRetry = async (id: string) => {
    setRetried(null);
    const r = await retry.run({ id });
    if (r) {
      setRetried(id);
      q.reload();
    }
  };

  const deliveries = ev?.deliveries.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];

  return (
    <Screen name="event" title={ev ? ev.type : 'Event'} sub={ev ? ev.id : undefined} ready={!!q.data || !!q.error}>
      <p>
        <a href={href('/events')}>← All events</a>
      </p>
      <ErrorNote error={q.error} />
      {!q.data && !q.error && <Loading />}
      {((q.data && !ev) || q.error?.code === 'NOT_FOUND') && (
        <Empty>
          <p>This event does not exist (any more): events are purged after the retention period.</p>
          <p>
            <a href={href('/events')}>See the events there are</a>.
          </p>
        </Empty>
      )}
      {ev && (
        <>
          <section class="card">
            <dl class="props">
              <dt>Type</dt>
              <dd>
                <code>{ev.type}</code>
              </dd>
              <dt>Entity</dt>
              <dd>{ev.entityType ? `${ev.entityType}:${ev.entityId ?? ''}` : <span class="muted">none (every matching webhook)</span>}</dd>
              <dt>Idempotency key</dt>
              <dd>{ev.idempotencyKey ? <code>{ev.idempotencyKey}</code> : <span class="muted">none</span>}</dd>
              <dt>Occurred</dt>
              <dd>
                <Time value={ev.occurredAt} />
              </dd>
              <dt>Published</dt>
              <dd>
                <Time value={ev.createdAt} />
              </dd>
            </dl>
          </section>
          <h2>Payload</h2>
          <TextView value={ev.payload} label="payload" />
          <h2>Deliveries</h2>
          <ErrorNote error={retry.error} />
          {retried && (
            <p class="banner info" role="status">
              Retry queued: the new attempt appears below as soon as it is made.
            </p>
          )}
          {deliveries.length === 0 ? (
            <Empty>
              <p>No delivery: no enabled webhook matched this event's type and entity when it was published.</p>
              <p>{can.write ? <a href={href('/webhooks')}>Subscribe a webhook to {ev.type}</a> : 'A webhook subscribed to this type receives the next ones.'}</p>
            </Empty>
          ) : (
            <table data-list="deliveries">
              <thead>
                <tr>
                  <th>Webhook</th>
                  <th>Status</th>
                  <th>Attempts</th>
                  <th>Next attempt</th>
                  {can.write && <th></th>}
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} data-id={d.id}>
                    <td>{d.webhook ? <a href={href(`/webhooks/${d.webhook.id}`)}>{d.webhook.name}</a> : <span class="muted">deleted webhook</span>}</td>
                    <td>
                      <Status status={d.status} />
                    </td>
                    <td>
                      {d.attempts.length === 0 ? (
                        <span class="muted">none yet</span>
                      ) : (
                        <ol class="attempts" style={{ margin: 0, paddingLeft: '1.4em' }}>
                          {d.attempts.map((a) => (
                            <li key={a.id} data-attempt={a.id}>
                              #{a.number} <span class="muted">{a.trigger.toLowerCase()}</span> <Outcome success={a.success} status={a.responseStatus} errorKind={a.errorKind} />{' '}
                              <span class="muted">{a.durationMs} ms</span> <Time value={a.startedAt} /> · <AttemptLink id={a.id} />
                            </li>
                          ))}
                        </ol>
                      )}
                    </td>
                    <td>
                      <Time value={d.nextAttemptAt} empty={d.completedAt ? 'done' : '—'} />
                    </td>
                    {can.write && (
                      <td>
                        <button type="button" class="small" disabled={retry.busy} onClick={() => runRetry(d.id)}>
                          Retry
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager pageInfo={ev.deliveries.pageInfo} total={ev.deliveries.totalCount} />
        </>
      )}
    </Screen>
  );
}
