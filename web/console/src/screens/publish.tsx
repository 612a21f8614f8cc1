// Publish an event: its type (chosen from the catalog when the token may read
// it; a PUBLISH token may not, so it types the name), its payload (prefilled
// from the type's example), an optional entity, idempotency key and time.
// The answer is the event and the deliveries it made.
import { useState } from 'preact/hooks';
import { RequestError } from '../api';
import { graphql } from '../gql';
import type { PublishEventMutation } from '../gql/graphql';
import { useMutation, useQuery } from '../hooks';
import { href, useLocation } from '../router';
import { may, session } from '../session';
import { useStore } from '../store';
import { Copy, Empty, ErrorNote, Field, JSONInput, Screen, Status, Time, parseJSON } from '../ui';

const PublishEventTypes = graphql(`
  query PublishEventTypes($workspaceId: ID!) {
    eventTypes(workspaceId: $workspaceId, first: 1000, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges { node { id name description examplePayload } }
    }
  }
`);

const PublishEvent = graphql(`
  mutation PublishEvent($input: PublishEventInput!) {
    publishEvent(input: $input) {
      id
      type
      entityType
      entityId
      idempotencyKey
      occurredAt
      deliveries(first: 100) {
        totalCount
        edges { node { id status attemptCount webhook { id name } } }
      }
    }
  }
`);

type Published = PublishEventMutation['publishEvent'];

const fields = ['type', 'payload', 'entityType', 'entityId', 'idempotencyKey', 'occurredAt'];

type Draft = { type: string; payload: string; entityType: string; entityId: string; idempotencyKey: string; occurredAt: string };

function jsonText(value: unknown): string {
  return value == null ? '' : JSON.stringify(value, null, 2);
}

function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function Publish(props: { workspaceId: string }) {
  const { query } = useLocation();
  const { viewer } = useStore(session);
  const can = may(viewer);
  // Listing the catalog needs the READ permission, which PUBLISH tokens do
  // not have (eventTypes answers FORBIDDEN): they type the type's name.
  const types = useQuery(PublishEventTypes, { workspaceId: props.workspaceId }, { skip: !can.read });
  const list = types.data?.eventTypes.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const complete = !!types.data && list.length === types.data.eventTypes.totalCount;
  const choose = can.read && complete && list.length > 0;

  const publish = useMutation(PublishEvent);
  const [draft, setDraft] = useState<Draft>(() => ({
    type: query.get('type') ?? '',
    payload: '',
    entityType: '',
    entityId: '',
    idempotencyKey: '',
    occurredAt: '',
  }));
  // The payload is replaced by the chosen type's example only until it is
  // edited: what was typed is never lost.
  const [touched, setTouched] = useState(false);
  const [localError, setLocalError] = useState<RequestError | null>(null);
  const [result, setResult] = useState<Published | null>(null);
  const error = localError ?? publish.error;

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const text = (k: keyof Draft) => (e: Event) => set({ [k]: (e.target as HTMLInputElement).value } as Partial<Draft>);

  const example = (name: string) => list.find((t) => t.name === name)?.examplePayload;
  // A type chosen before the list arrived (?type=…) gets its example once.
  const shownPayload = !touched && !draft.payload && draft.type && example(draft.type) != null ? jsonText(example(draft.type)) : draft.payload;

  const chooseType = (name: string) => {
    set(touched ? { type: name } : { type: name, payload: jsonText(example(name)) });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setLocalError(null);
    setResult(null);
    publish.clear();
    const errors: RequestError['errors'] = [];
    if (!draft.type.trim()) errors.push({ message: 'choose the event type to publish', code: 'BAD_USER_INPUT', field: 'input.type' });
    const payload = parseJSON(shownPayload, 'input.payload');
    if (payload.error) errors.push(...payload.error.errors);
    else if (!shownPayload.trim()) errors.push({ message: 'payload is required: give any JSON value, e.g. {"orderId": "ORD-1"}', code: 'BAD_USER_INPUT', field: 'input.payload' });
    const occurredAt = fromLocalInput(draft.occurredAt);
    if (draft.occurredAt && !occurredAt) errors.push({ message: 'not a valid date and time', code: 'BAD_USER_INPUT', field: 'input.occurredAt' });
    if (errors.length) {
      setLocalError(new RequestError(errors));
      return;
    }
    const r = await publish.run({
      input: {
        workspaceId: props.workspaceId,
        type: draft.type.trim(),
        payload: payload.value,
        entityType: draft.entityType.trim() || null,
        entityId: draft.entityId.trim() || null,
        idempotencyKey: draft.idempotencyKey || null,
        occurredAt,
      },
    });
    if (r) setResult(r.publishEvent);
  };

  const selected = list.find((t) => t.name === draft.type);

  if (!can.publish) {
    return (
      <Screen name="publish" title="Publish an event" ready>
        <Empty>
          <p>This token’s role ({viewer?.role ?? 'none'}) may not publish events: a token with the PUBLISH, WRITE or ADMIN role may.</p>
          <p>
            <a href={href('/events')}>See the events published so far</a>.
          </p>
        </Empty>
      </Screen>
    );
  }

  return (
    <Screen
      name="publish"
      title="Publish an event"
      sub="hookd delivers it to every enabled webhook subscribed to its type (and its entity, when given)."
      ready={!can.read || !!types.data || !!types.error}
    >
      {result && <PublishedEvent event={result} canRead={can.read} />}
      <form class="form card" data-form="publish" onSubmit={submit} noValidate>
        <Field
          label="Event type"
          name="type"
          error={error}
          hint={
            choose
              ? selected?.description || 'One of the workspace’s event types that are not archived.'
              : 'The name of an existing, non-archived event type, e.g. order.created.'
          }
        >
          {choose ? (
            <select name="type" value={draft.type} onChange={(e) => chooseType((e.target as HTMLSelectElement).value)}>
              <option value="">Choose an event type…</option>
              {list.map((t) => (
                <option key={t.id} value={t.name}>
                  {t.name}
                </option>
              ))}
              {draft.type && !selected && <option value={draft.type}>{draft.type}</option>}
            </select>
          ) : (
            <input name="type" value={draft.type} autoComplete="off" placeholder="e.g. order.created" onInput={text('type')} />
          )}
        </Field>
        <div class="field">
          {can.read && types.data && list.length === 0 && (
            <p class="hint warn">
              The workspace has no event types yet.{' '}
              {can.write ? <a href={href('/event-types')}>Create one in the event type catalog</a> : 'Ask for one to be created in the event type catalog'} first.
            </p>
          )}
          {types.error && <ErrorNote error={types.error} />}
        </div>
        <Field label="Payload (JSON)" name="payload" error={error} wide hint={choose ? 'Prefilled from the type’s example payload; it is validated against the type’s schema, if it has one.' : 'Validated against the type’s schema, if it has one.'}>
          <JSONInput
            name="payload"
            value={shownPayload}
            rows={10}
            placeholder='{"orderId": "ORD-1", "total": 42.5}'
            onInput={(t) => {
              setTouched(true);
              set({ payload: t });
            }}
          />
        </Field>
        <Field label="Entity type (optional)" name="entityType" error={error} hint="With an entity ID, only webhooks scoped to this entity (or not scoped) receive the event.">
          <input name="entityType" value={draft.entityType} autoComplete="off" placeholder="e.g. supplier" onInput={text('entityType')} />
        </Field>
        <Field label="Entity ID (optional)" name="entityId" error={error}>
          <input name="entityId" value={draft.entityId} autoComplete="off" placeholder="e.g. 42" onInput={text('entityId')} />
        </Field>
        <Field label="Idempotency key (optional)" name="idempotencyKey" error={error} hint="Publishing again with the same key returns the first event and delivers nothing new.">
          <input name="idempotencyKey" value={draft.idempotencyKey} autoComplete="off" onInput={text('idempotencyKey')} />
        </Field>
        <Field label="Occurred at (optional, default now)" name="occurredAt" error={error}>
          <input type="datetime-local" name="occurredAt" value={draft.occurredAt} onInput={text('occurredAt')} />
        </Field>
        <ErrorNote error={error} fields={fields} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={publish.busy}>
            Publish event
          </button>
        </div>
      </form>
    </Screen>
  );
}

function PublishedEvent(props: { event: Published; canRead: boolean }) {
  const ev = props.event;
  const deliveries = ev.deliveries.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <section class="once" data-published={ev.id} role="status">
      <p>
        Published <code>{ev.type}</code> as <code data-event-id>{ev.id}</code> <Copy text={ev.id} label="Copy ID" />{' '}
        {props.canRead && <a href={href(`/events/${ev.id}`)}>View the event</a>}
      </p>
      <p class="muted">
        Occurred <Time value={ev.occurredAt} />
        {ev.entityType && ` · entity ${ev.entityType}:${ev.entityId ?? ''}`}
        {ev.idempotencyKey && (
          <>
            {' '}
            · idempotency key <code>{ev.idempotencyKey}</code>
          </>
        )}
      </p>
      {deliveries.length === 0 ? (
        <p>No delivery: no enabled webhook is subscribed to this type{ev.entityType ? ' and entity' : ''}. The event is stored all the same.</p>
      ) : (
        <>
          <p>
            {ev.deliveries.totalCount} deliver{ev.deliveries.totalCount === 1 ? 'y' : 'ies'}:
          </p>
          <ul data-list="published-deliveries">
            {deliveries.map((d) => (
              <li key={d.id} data-id={d.id}>
                {d.webhook ? props.canRead ? <a href={href(`/webhooks/${d.webhook.id}`)}>{d.webhook.name}</a> : d.webhook.name : <span class="muted">deleted webhook</span>}{' '}
                <Status status={d.status} />
                {d.attemptCount > 0 && <span class="muted"> · {d.attemptCount} attempt{d.attemptCount === 1 ? '' : 's'}</span>}
              </li>
            ))}
          </ul>
          {props.canRead && <p class="muted">Their attempts are shown on the event’s page as they are made.</p>}
        </>
      )}
    </section>
  );
}
