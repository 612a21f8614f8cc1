// A webhook's details: the seed's GENERAL / STATISTICS / HTTP SETTINGS /
// CUSTOM DATA tabs plus Deliveries and Test, "Trigger Now" with its outcome
// when it arrives, and everything live.
import { useEffect, useRef, useState } from 'preact/hooks';
import { request, RequestError } from '../api';
import { graphql } from '../gql';
import type { DeliveryStatus, WebhookDetailsQuery } from '../gql/graphql';
import { useMutation, useQuery, useSubscription } from '../hooks';
import { href, navigate, setQuery, useLocation } from '../router';
import { may, session } from '../session';
import { AttemptLink, Badge, Copy, Empty, ErrorNote, Field, JSONInput, Loading, Outcome, Pager, parseJSON, Screen, Status, Tabs, Time } from '../ui';
import { Headers } from './attempt';
import { OutcomeChart, ranges } from './chart';

const Details = graphql(`
  query WebhookDetails($id: ID!) {
    node(id: $id) {
      ... on Webhook {
        id
        createdAt
        updatedAt
        name
        description
        url
        method
        enabled
        events
        entityType
        entityId
        timeoutSeconds
        disableAfterConsecutiveFailures
        rateLimitPerSecond
        disabledReason
        disabledAt
        filter
        secret
        headers { name value }
        authentication { type username jwtSecret ttlSeconds }
        customData
        retryPolicy { schedule maxAttempts }
        workspace { id }
      }
    }
  }
`);

type Webhook = Extract<NonNullable<WebhookDetailsQuery['node']>, { url: string }>;

const tabs = [
  { id: 'general', label: 'General' },
  { id: 'statistics', label: 'Statistics' },
  { id: 'http', label: 'HTTP settings' },
  { id: 'custom-data', label: 'Custom data' },
  { id: 'deliveries', label: 'Deliveries' },
  { id: 'test', label: 'Test' },
];

const Trigger = graphql(`
  mutation WebhookTrigger($id: ID!) {
    triggerWebhook(id: $id) { id status event { id } }
  }
`);

const DeliveryOutcome = graphql(`
  query WebhookTriggerOutcome($id: ID!) {
    node(id: $id) {
      ... on Delivery { id status attempts { id success responseStatus errorKind error durationMs } }
    }
  }
`);

const AttemptsLive = graphql(`
  subscription WebhookAttempts($workspaceId: ID!, $webhookId: ID) {
    deliveryAttempts(workspaceId: $workspaceId, webhookId: $webhookId) {
      id
      success
      responseStatus
      errorKind
      error
      durationMs
      startedAt
      trigger
      delivery { id }
    }
  }
`);

const Update = graphql(`
  mutation WebhookDetailsUpdate($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) { id enabled customData disabledReason }
  }
`);

const Delete = graphql(`
  mutation WebhookDelete($id: ID!) {
    deleteWebhook(id: $id)
  }
`);

type LiveAttempt = { id: string; success: boolean; responseStatus: number | null; errorKind: string | null; error: string | null; durationMs: number; delivery: { id: string } | null };

export function WebhookDetails(props: { id: string; tab: string; workspaceId: string }) {
  const q = useQuery(Details, { id: props.id });
  const w = q.data?.node && 'url' in q.data.node ? (q.data.node as Webhook) : null;
  const can = may(session.get().viewer);
  const [triggered, setTriggered] = useState<{ deliveryId: string; attempt: LiveAttempt | null } | null>(null);
  const trigger = useMutation(Trigger);
  const update = useMutation(Update);
  const del = useMutation(Delete);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const triggeredRef = useRef(triggered);
  triggeredRef.current = triggered;
  // Attempts of this webhook as they are recorded, by any process: the
  // outcome of "Trigger Now", and a signal for the Deliveries tab.
  const [attemptTick, setAttemptTick] = useState(0);
  useSubscription(
    AttemptsLive,
    { workspaceId: props.workspaceId, webhookId: props.id },
    (d) => {
      const a = d.deliveryAttempts;
      setAttemptTick((t) => t + 1);
      const t = triggeredRef.current;
      if (t && !t.attempt && a.delivery?.id === t.deliveryId) setTriggered({ ...t, attempt: a });
    },
    { skip: !w },
  );

  const runTrigger = async () => {
    setTriggered(null);
    const r = await trigger.run({ id: props.id });
    if (!r) return;
    const deliveryId = r.triggerWebhook.id;
    setTriggered({ deliveryId, attempt: null });
    // The attempt may have been recorded before this page heard of the
    // delivery: read it once too.
    setTimeout(async () => {
      try {
        const d = await request(DeliveryOutcome, { id: deliveryId });
        const node = d.node && 'attempts' in d.node ? d.node : null;
        const first = node?.attempts[0];
        if (first && triggeredRef.current?.deliveryId === deliveryId && !triggeredRef.current.attempt) {
          setTriggered({ deliveryId, attempt: { ...first, delivery: { id: deliveryId } } });
        }
      } catch {
        /* the live feed will tell */
      }
    }, 1500);
  };

  if (!w) {
    return (
      <Screen name="webhook" title="Webhook" ready={!!q.error || (!!q.data && !w)}>
        {q.error ? <ErrorNote error={q.error} /> : q.loading ? <Loading /> : <Empty>This webhook does not exist, or this token may not see it.</Empty>}
      </Screen>
    );
  }

  return (
    <Screen
      name="webhook"
      title={w.name}
      sub={
        <>
          <code>{w.url}</code> {w.enabled ? <Badge kind="ok">enabled</Badge> : <Badge kind="muted">disabled</Badge>}
        </>
      }
      ready={true}
      actions={
        <>
          {can.write && (
            <button type="button" class="primary" disabled={trigger.busy} onClick={runTrigger}>
              Trigger Now
            </button>
          )}
          {can.write && (
            <button type="button" onClick={() => navigate(href(`/webhooks/${w.id}/test`))}>
              Send Test Event
            </button>
          )}
          {can.write && (
            <a href={href(`/webhooks/${w.id}/edit`)}>
              <button type="button">Edit</button>
            </a>
          )}
          {can.write && (
            <button
              type="button"
              disabled={update.busy}
              onClick={() => update.run({ id: w.id, input: { enabled: !w.enabled } }).then((r) => r && q.reload())}
            >
              {w.enabled ? 'Disable' : 'Enable'}
            </button>
          )}
          {can.write &&
            (confirmDelete ? (
              <button type="button" class="danger" onClick={() => del.run({ id: w.id }).then((r) => r && navigate(href('/webhooks')))}>
                Confirm delete
              </button>
            ) : (
              <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            ))}
        </>
      }
    >
      <ErrorNote error={trigger.error ?? update.error ?? del.error} />
      {triggered && (
        <div class="banner info" role="status" data-trigger={triggered.attempt ? 'done' : 'waiting'}>
          {triggered.attempt ? (
            <>
              Trigger Now: <Outcome success={triggered.attempt.success} status={triggered.attempt.responseStatus} errorKind={triggered.attempt.errorKind} /> in {triggered.attempt.durationMs} ms
              {triggered.attempt.error && <> · {triggered.attempt.error}</>} · <AttemptLink id={triggered.attempt.id}>View response</AttemptLink>
            </>
          ) : (
            <>Trigger Now: a webhook.ping was sent; waiting for its outcome…</>
          )}
        </div>
      )}
      {!w.enabled && w.disabledReason && <p class="banner warn">Disabled: {w.disabledReason}</p>}
      <Tabs tabs={tabs} current={props.tab} onSelect={(t) => navigate(href(`/webhooks/${w.id}${t === 'general' ? '' : '/' + t}`))} />
      <section data-tab={props.tab}>
        {props.tab === 'general' && <General w={w} />}
        {props.tab === 'statistics' && <Statistics id={w.id} />}
        {props.tab === 'http' && <HTTPSettings w={w} reload={q.reload} />}
        {props.tab === 'custom-data' && <CustomData w={w} reload={q.reload} />}
        {props.tab === 'deliveries' && <Deliveries w={w} workspaceId={props.workspaceId} tick={attemptTick} />}
        {props.tab === 'test' && <Test w={w} />}
      </section>
    </Screen>
  );
}

function General(props: { w: Webhook }) {
  const w = props.w;
  return (
    <div class="card">
      <dl class="props">
        <dt>Name</dt>
        <dd>{w.name}</dd>
        <dt>Description</dt>
        <dd>{w.description || <span class="muted">none</span>}</dd>
        <dt>ID</dt>
        <dd>
          <code>{w.id}</code> <Copy text={w.id} />
        </dd>
        <dt>Events</dt>
        <dd>
          {w.events.map((e) => (
            <span class="tag" key={e}>
              {e}
            </span>
          ))}
        </dd>
        <dt>Payload filter</dt>
        <dd>{w.filter ? <code data-filter>{w.filter}</code> : <span class="muted">none: every event of these types</span>}</dd>
        <dt>Entity scope</dt>
        <dd>{w.entityType ? `${w.entityType}:${w.entityId}` : <span class="muted">every entity</span>}</dd>
        <dt>Status</dt>
        <dd>
          {w.enabled ? 'enabled' : 'disabled'}
          {w.disabledAt && (
            <>
              {' '}
              since <Time value={w.disabledAt} />
            </>
          )}
          {w.disabledReason && <> ({w.disabledReason})</>}
        </dd>
        <dt>Retries</dt>
        <dd>
          up to {w.retryPolicy.maxAttempts} attempts, waiting {w.retryPolicy.schedule.map((s) => `${s} s`).join(', ')}
        </dd>
        <dt>Timeout</dt>
        <dd>{w.timeoutSeconds} s</dd>
        <dt>Disabled after</dt>
        <dd>{w.disableAfterConsecutiveFailures ? `${w.disableAfterConsecutiveFailures} consecutive failures` : 'never'}</dd>
        <dt>Rate limit</dt>
        <dd>{w.rateLimitPerSecond ? `${w.rateLimitPerSecond} requests per second` : 'unlimited'}</dd>
        <dt>Created</dt>
        <dd>
          <Time value={w.createdAt} />
        </dd>
        <dt>Updated</dt>
        <dd>
          <Time value={w.updatedAt} />
        </dd>
      </dl>
    </div>
  );
}

const StatsQuery = graphql(`
  query WebhookStatisticsNow($id: ID!) {
    node(id: $id) {
      ... on Webhook {
        id
        statistics { ...StatisticsFields }
      }
    }
  }
`);

const StatsLive = graphql(`
  subscription WebhookStatisticsLive($id: ID!) {
    webhookStatistics(webhookId: $id) { ...StatisticsFields }
  }
`);

graphql(`
  fragment StatisticsFields on WebhookStatistics {
    events
    triggers
    successResponses
    failureResponses
    failuresSinceLastSuccess
    filteredEvents
    lastEventAt
    nextTriggerAt
    lastSuccessAt
    lastFailureAt
    lastSuccess { id responseStatus durationMs }
    lastFailure { id responseStatus errorKind error }
  }
`);

const OutcomesQuery = graphql(`
  query WebhookOutcomes($id: ID!, $since: Time!, $bucketSeconds: Int) {
    node(id: $id) {
      ... on Webhook { id outcomes(since: $since, bucketSeconds: $bucketSeconds) { start successes failures } }
    }
  }
`);

function Statistics(props: { id: string }) {
  // Read now and again after a dropped live connection is back (what was
  // missed meanwhile), then follow the pushes.
  const q = useQuery(StatsQuery, { id: props.id }, { refresh: true });
  const [pushed, setPushed] = useState<typeof stats | null>(null);
  const [range, setRange] = useState(ranges[1]);
  const [since, setSince] = useState(() => range.since());
  const outcomes = useQuery(OutcomesQuery, { id: props.id, since, bucketSeconds: range.bucket }, { keep: true });
  const rangeRef = useRef(range);
  rangeRef.current = range;
  const timer = useRef<number | null>(null);
  const node = q.data?.node && 'statistics' in q.data.node ? q.data.node : null;
  const stats = node?.statistics ?? null;
  useEffect(() => setPushed(null), [q.data]);
  useSubscription(StatsLive, { id: props.id }, (d) => {
    setPushed(d.webhookStatistics);
    // The chart follows, at most once a second.
    if (timer.current == null) {
      timer.current = window.setTimeout(() => {
        timer.current = null;
        // The range ends now: it moves with the attempts.
        setSince(rangeRef.current.since());
        outcomes.reload();
      }, 1000);
    }
  });
  useEffect(() => () => void (timer.current != null && clearTimeout(timer.current)), []);
  const s = pushed ?? stats;
  if (!s) return q.error ? <ErrorNote error={q.error} /> : <Loading />;
  const figures: [string, string, number | string][] = [
    ['events', 'Events', s.events],
    ['triggers', 'Triggers (attempts)', s.triggers],
    ['successResponses', 'Success responses', s.successResponses],
    ['failureResponses', 'Failure responses', s.failureResponses],
    ['failuresSinceLastSuccess', 'Failures since last success', s.failuresSinceLastSuccess],
    ['filteredEvents', 'Filtered out (payload filter)', s.filteredEvents],
  ];
  return (
    <div data-statistics="true">
      <div class="grid">
        {figures.map(([key, name, value]) => (
          <div class="stat" key={key} data-stat={key}>
            <div class="value">{typeof value === 'number' ? value.toLocaleString() : value}</div>
            <div class="name">{name}</div>
          </div>
        ))}
      </div>
      <div class="card">
        <dl class="props">
          <dt>Last event</dt>
          <dd>
            <Time value={s.lastEventAt} empty="never" />
          </dd>
          <dt>Next trigger (earliest retry)</dt>
          <dd>
            <Time value={s.nextTriggerAt} empty="none scheduled" />
          </dd>
          <dt>Last success</dt>
          <dd>
            <Time value={s.lastSuccessAt} empty="never" /> {s.lastSuccess && <AttemptLink id={s.lastSuccess.id}>View response</AttemptLink>}
          </dd>
          <dt>Last failure</dt>
          <dd>
            <Time value={s.lastFailureAt} empty="never" />{' '}
            {s.lastFailure && (
              <>
                {s.lastFailure.error ?? ''} <AttemptLink id={s.lastFailure.id}>View response</AttemptLink>
              </>
            )}
          </dd>
        </dl>
      </div>
      <div class="row">
        <h3>Outcomes over time</h3>
        <select
          name="range"
          value={range.id}
          onChange={(e) => {
            const r = ranges.find((x) => x.id === (e.target as HTMLSelectElement).value) ?? ranges[1];
            setRange(r);
            setSince(r.since());
          }}
        >
          {ranges.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={outcomes.error} />
      {outcomes.data?.node && 'outcomes' in outcomes.data.node && <OutcomeChart buckets={outcomes.data.node.outcomes} bucketSeconds={range.bucket} />}
    </div>
  );
}

const Rotate = graphql(`
  mutation WebhookRotateSecret($id: ID!, $gracePeriodSeconds: Int) {
    rotateWebhookSecret(id: $id, gracePeriodSeconds: $gracePeriodSeconds) { id secret }
  }
`);

function HTTPSettings(props: { w: Webhook; reload: () => void }) {
  const w = props.w;
  const can = may(session.get().viewer);
  const [reveal, setReveal] = useState(false);
  const [grace, setGrace] = useState('86400');
  const rotate = useMutation(Rotate);
  const [rotated, setRotated] = useState<string | null>(null);
  const [graceError, setGraceError] = useState<RequestError | null>(null);
  const secret = rotated ?? w.secret;
  return (
    <div class="card" data-http="true">
      <dl class="props">
        <dt>Method</dt>
        <dd>{w.method}</dd>
        <dt>URL</dt>
        <dd>
          <code>{w.url}</code>
        </dd>
        <dt>Headers</dt>
        <dd>{w.headers.length ? <Headers headers={w.headers} /> : <span class="muted">none</span>}</dd>
        <dt>Authentication</dt>
        <dd data-auth={w.authentication.type}>
          {w.authentication.type === 'NONE' && 'none (the signature only)'}
          {w.authentication.type === 'BASIC' && <>basic, user {w.authentication.username} (the password is never shown)</>}
          {w.authentication.type === 'JWT' && (
            <>
              JWT bearer token, lifetime {w.authentication.ttlSeconds} s{w.authentication.jwtSecret && <>, secret <span class="secret">{reveal ? w.authentication.jwtSecret : '••••••••'}</span></>}
            </>
          )}
        </dd>
        <dt>Signing secret</dt>
        <dd>
          {secret == null ? (
            <span class="muted">Hidden: this token's role may not read secrets.</span>
          ) : (
            <>
              <span class="secret" data-secret={reveal ? 'shown' : 'hidden'}>
                {reveal ? secret : 'whsec_••••••••••••••••'}
              </span>{' '}
              <button type="button" class="small" onClick={() => setReveal(!reveal)}>
                {reveal ? 'Hide' : 'Reveal'}
              </button>{' '}
              <Copy text={secret} />
            </>
          )}
        </dd>
      </dl>
      {can.write && w.secret != null && (
        <form
          class="row"
          style={{ marginTop: '16px' }}
          onSubmit={async (e) => {
            e.preventDefault();
            const n = grace.trim() === '' ? null : Number(grace.trim());
            if (n != null && !Number.isInteger(n)) {
              setGraceError(new RequestError([{ message: `"${grace}" is not a whole number of seconds (0 ends the old secret now; empty: the default of 24 hours)`, code: 'BAD_USER_INPUT', field: 'gracePeriodSeconds' }]));
              return;
            }
            setGraceError(null);
            const r = await rotate.run({ id: w.id, gracePeriodSeconds: n });
            if (r) {
              setRotated(r.rotateWebhookSecret.secret ?? null);
              setReveal(true);
              props.reload();
            }
          }}
        >
          <Field label="Grace period for the old secret (seconds; 0 ends it now)" name="gracePeriodSeconds" error={graceError ?? rotate.error}>
            <input name="gracePeriodSeconds" inputMode="numeric" value={grace} onInput={(e) => setGrace((e.target as HTMLInputElement).value)} />
          </Field>
          <button type="submit" disabled={rotate.busy}>
            Generate New Key
          </button>
          {rotated && <span role="status">A new secret was generated; requests are signed with both until the grace period ends.</span>}
        </form>
      )}
      <ErrorNote error={rotate.error} fields={['gracePeriodSeconds']} />
    </div>
  );
}

function CustomData(props: { w: Webhook; reload: () => void }) {
  const can = may(session.get().viewer);
  const [text, setText] = useState(props.w.customData == null ? '' : JSON.stringify(props.w.customData, null, 2));
  const update = useMutation(Update);
  const [localError, setLocalError] = useState<ReturnType<typeof parseJSON>['error']>(null);
  const [saved, setSaved] = useState(false);
  return (
    <form
      class="card"
      onSubmit={async (e) => {
        e.preventDefault();
        setSaved(false);
        const parsed = parseJSON(text, 'input.customData');
        setLocalError(parsed.error);
        if (parsed.error) return;
        const r = await update.run({ id: props.w.id, input: { customData: parsed.value } });
        if (r) {
          setSaved(true);
          props.reload();
        }
      }}
    >
      <p class="muted">Any JSON object; every request carries it as "custom".</p>
      <Field label="Custom data" name="customData" error={localError ?? update.error}>
        <JSONInput name="customData" value={text} onInput={setText} rows={14} readOnly={!can.write} />
      </Field>
      <ErrorNote error={localError ?? update.error} fields={['customData']} />
      {can.write && (
        <div class="form-actions">
          <button type="submit" class="primary" disabled={update.busy}>
            Save custom data
          </button>
          {saved && <span role="status">Saved.</span>}
        </div>
      )}
    </form>
  );
}

const DeliveriesQuery = graphql(`
  query WebhookDeliveries($id: ID!, $first: Int, $after: Cursor, $where: DeliveryWhereInput) {
    node(id: $id) {
      ... on Webhook {
        id
        deliveries(first: $first, after: $after, where: $where, orderBy: { field: CREATED_AT, direction: DESC }) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges {
            node {
              id
              status
              attemptCount
              createdAt
              nextAttemptAt
              completedAt
              event { id type entityType entityId }
              attempts { id number success responseStatus errorKind startedAt trigger }
            }
          }
        }
      }
    }
  }
`);

const Retry = graphql(`
  mutation WebhookDeliveryRetry($id: ID!) {
    retryDelivery(id: $id) { id status attemptCount }
  }
`);

const Replay = graphql(`
  mutation WebhookReplay($input: ReplayDeliveriesInput!) {
    replayDeliveries(input: $input) { count created }
  }
`);

const statuses: DeliveryStatus[] = ['PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];

// toTime turns a datetime-local value into RFC 3339 (local time zone).
export function toTime(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

function Deliveries(props: { w: Webhook; workspaceId: string; tick: number }) {
  const { query } = useLocation();
  const can = may(session.get().viewer);
  const status = query.get('status') ?? '';
  const type = query.get('type') ?? '';
  const since = query.get('since') ?? '';
  const until = query.get('until') ?? '';
  const after = query.get('after');
  const where: Record<string, unknown> = {};
  if (status) where.status = status;
  if (type) where.hasEventWith = [{ type }];
  if (toTime(since)) where.createdAtGTE = toTime(since);
  if (toTime(until)) where.createdAtLT = toTime(until);
  const q = useQuery(DeliveriesQuery, { id: props.w.id, first: 25, after, where }, { refresh: true });
  const retry = useMutation(Retry);
  const replay = useMutation(Replay);
  const [replayed, setReplayed] = useState<{ count: number; created: number } | null>(null);
  const [includeMissed, setIncludeMissed] = useState(false);
  const [replayStatuses, setReplayStatuses] = useState<DeliveryStatus[]>(['FAILED']);

  // New attempts refresh the list (at most once a second) while on the first page.
  const last = useRef(0);
  useEffect(() => {
    if (!props.tick || after) return;
    const wait = Math.max(0, 1000 - (Date.now() - last.current));
    const t = setTimeout(() => {
      last.current = Date.now();
      q.reload();
    }, wait);
    return () => clearTimeout(t);
  }, [props.tick]);

  const conn = q.data?.node && 'deliveries' in q.data.node ? q.data.node.deliveries : null;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <div data-deliveries="true">
      <div class="filters">
        <label>
          Status
          <select name="status" value={status} onChange={(e) => setQuery({ status: (e.target as HTMLSelectElement).value || null, after: null })}>
            <option value="">All</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {s.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          Event type
          <select name="type" value={type} onChange={(e) => setQuery({ type: (e.target as HTMLSelectElement).value || null, after: null })}>
            <option value="">All</option>
            {props.w.events
              .filter((e) => e !== '*')
              .concat(type && !props.w.events.includes(type) ? [type] : [])
              .map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            <option value="webhook.ping">webhook.ping</option>
          </select>
        </label>
        <label>
          Since
          <input type="datetime-local" name="since" value={since} onChange={(e) => setQuery({ since: (e.target as HTMLInputElement).value || null, after: null })} />
        </label>
        <label>
          Until
          <input type="datetime-local" name="until" value={until} onChange={(e) => setQuery({ until: (e.target as HTMLInputElement).value || null, after: null })} />
        </label>
      </div>
      <ErrorNote error={q.error ?? retry.error} />
      {conn && rows.length === 0 && <Empty>{status || type || since || until ? 'No delivery matches these filters.' : 'No deliveries yet. Publish an event of a subscribed type, or use Trigger Now.'}</Empty>}
      {rows.length > 0 && (
        <table data-list="deliveries">
          <thead>
            <tr>
              <th>Event</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Created</th>
              <th>Next attempt</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-id={d.id} data-status={d.status}>
                <td>
                  <a href={href(`/events/${d.event.id}`)}>{d.event.type}</a>
                  {d.event.entityType && <span class="muted"> {d.event.entityType}:{d.event.entityId}</span>}
                </td>
                <td>
                  <Status status={d.status} />
                </td>
                <td>
                  {d.attempts.map((a) => (
                    <span key={a.id} class="row" style={{ display: 'inline-flex', marginRight: '8px' }}>
                      <AttemptLink id={a.id}>
                        #{a.number} <Outcome success={a.success} status={a.responseStatus} errorKind={a.errorKind} />
                      </AttemptLink>
                    </span>
                  ))}
                  {d.attempts.length === 0 && <span class="muted">none yet</span>}
                </td>
                <td>
                  <Time value={d.createdAt} />
                </td>
                <td>
                  <Time value={d.nextAttemptAt} empty="—" />
                </td>
                <td>
                  {can.write && (
                    <button type="button" class="small" disabled={retry.busy} onClick={() => retry.run({ id: d.id }).then((r) => r && q.reload())}>
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pageInfo={conn?.pageInfo} total={conn?.totalCount} />
      {can.write && (
        <form
          class="card form"
          style={{ marginTop: '16px' }}
          onSubmit={async (e) => {
            e.preventDefault();
            setReplayed(null);
            const f = new FormData(e.target as HTMLFormElement);
            const r = await replay.run({
              input: {
                webhookId: props.w.id,
                since: toTime(String(f.get('replaySince') ?? '')) ?? '',
                until: toTime(String(f.get('replayUntil') ?? '')),
                statuses: replayStatuses,
                includeMissed,
              },
            });
            if (r) {
              setReplayed(r.replayDeliveries);
              q.reload();
            }
          }}
        >
          <h3>Replay a range</h3>
          <p class="muted wide">Queue this webhook's deliveries created in a range again, each with a fresh retry schedule.</p>
          <Field label="Since" name="since" error={replay.error}>
            <input type="datetime-local" name="replaySince" required />
          </Field>
          <Field label="Until (default now)" name="until" error={replay.error}>
            <input type="datetime-local" name="replayUntil" />
          </Field>
          <Field label="Statuses" name="statuses" error={replay.error} wide group>
            <div class="row">
              {statuses.map((s) => (
                <label class="check" key={s}>
                  <input
                    type="checkbox"
                    name="replayStatuses"
                    value={s}
                    checked={replayStatuses.includes(s)}
                    onChange={(e) => setReplayStatuses((e.target as HTMLInputElement).checked ? [...replayStatuses, s] : replayStatuses.filter((x) => x !== s))}
                  />
                  {s.toLowerCase()}
                </label>
              ))}
            </div>
          </Field>
          <label class="check wide">
            <input type="checkbox" name="includeMissed" checked={includeMissed} onChange={(e) => setIncludeMissed((e.target as HTMLInputElement).checked)} /> Include missed events: also
            deliver the events of the range this webhook never got (published while it was disabled, or before it existed) that match it as it is now
          </label>
          <ErrorNote error={replay.error} fields={['since', 'until', 'statuses']} />
          <div class="form-actions">
            <button type="submit" disabled={replay.busy}>
              Replay deliveries
            </button>
            {replayed != null && (
              <span role="status">
                {replayed.count === 1 ? '1 delivery queued' : `${replayed.count} deliveries queued`}
                {replayed.created ? `, ${replayed.created} of them new (missed events)` : ' again'}.
              </span>
            )}
          </div>
        </form>
      )}
    </div>
  );
}

const StartTest = graphql(`
  mutation WebhookTest($id: ID!, $eventType: String) {
    testWebhook(id: $id, eventType: $eventType, wait: false) { id }
  }
`);

const TestRunLive = graphql(`
  subscription WebhookTestRun($id: ID!) {
    testRunUpdated(id: $id) {
      id
      status
      startedAt
      finishedAt
      testsRun
      testsSucceeded
      testsFailed
      tests { eventType success responseStatus durationMs error attempt { id } }
    }
  }
`);

function Test(props: { w: Webhook }) {
  const can = may(session.get().viewer);
  const [eventType, setEventType] = useState('');
  const start = useMutation(StartTest);
  const [runId, setRunId] = useState<string | null>(null);
  const [run, setRun] = useState<{
    status: string;
    testsRun: number;
    testsSucceeded: number;
    testsFailed: number;
    tests: { eventType: string; success: boolean; responseStatus: number | null; durationMs: number; error: string | null; attempt: { id: string } | null }[];
  } | null>(null);
  useSubscription(TestRunLive, { id: runId ?? '' }, (d) => setRun(d.testRunUpdated), { skip: !runId });
  const types = props.w.events.filter((e) => e !== '*');
  return (
    <div class="card" data-test-run={run?.status ?? 'none'}>
      <p>
        Sends one test message per subscribed event type (or only the chosen one), with the type's example payload and the header <code>hookd-test: true</code>. Each is tried once.
      </p>
      {can.write ? (
        <form
          class="row"
          onSubmit={async (e) => {
            e.preventDefault();
            setRun(null);
            const r = await start.run({ id: props.w.id, eventType: eventType || null });
            if (r) setRunId(r.testWebhook.id);
          }}
        >
          <select name="eventType" value={eventType} onChange={(e) => setEventType((e.target as HTMLSelectElement).value)}>
            <option value="">Every subscribed type</option>
            {types.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <button type="submit" class="primary" disabled={start.busy || run?.status === 'RUNNING'}>
            Send Test Event
          </button>
        </form>
      ) : (
        <p class="muted">This token's role may not run tests.</p>
      )}
      <ErrorNote error={start.error} />
      {runId && !run && <Loading />}
      {run && (
        <>
          <p role="status">
            <Status status={run.status} /> {run.testsRun} run · {run.testsSucceeded} succeeded · {run.testsFailed} failed
          </p>
          <table class="results" data-list="tests">
            <thead>
              <tr>
                <th>Event type</th>
                <th>Outcome</th>
                <th>Duration</th>
                <th>Error</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {run.tests.map((t, i) => (
                <tr key={i} data-event-type={t.eventType} data-success={String(t.success)}>
                  <td>{t.eventType}</td>
                  <td>
                    <Outcome success={t.success} status={t.responseStatus} />
                  </td>
                  <td>{t.durationMs} ms</td>
                  <td>{t.error ?? ''}</td>
                  <td>{t.attempt && <AttemptLink id={t.attempt.id}>View response</AttemptLink>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
