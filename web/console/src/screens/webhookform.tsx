// Create and edit a webhook: every field of CreateWebhookInput, with each
// server-side validation error shown at its field; what was typed stays on
// an error.
import { useEffect, useState } from 'preact/hooks';
import { request, RequestError } from '../api';
import { graphql } from '../gql';
import type { CreateWebhookInput, HttpMethod, UpdateWebhookInput } from '../gql/graphql';
import { useMutation, useQuery } from '../hooks';
import { href, navigate } from '../router';
import { may, session } from '../session';
import { Badge, ErrorNote, Field, JSONInput, Loading, parseJSON, Screen } from '../ui';

// EventChoice is one event type the form offers to subscribe to.
type EventChoice = { name: string; description?: string | null; note?: string };

// operationalTypes are the types hookd publishes itself; a webhook
// subscribes to them by name ("*" does not include them).
const operationalTypes: EventChoice[] = [
  { name: 'webhook.disabled', description: 'sent by hookd when it disables a webhook after consecutive failed attempts', note: 'from hookd' },
  { name: 'delivery.exhausted', description: 'sent by hookd when a delivery failed its last scheduled attempt', note: 'from hookd' },
];

const FormData = graphql(`
  query WebhookFormData($workspaceId: ID!, $id: ID!, $editing: Boolean!) {
    eventTypes(workspaceId: $workspaceId, first: 1000, includeArchived: true, orderBy: { field: NAME, direction: ASC }) {
      edges { node { id name description examplePayload archived } }
    }
    node(id: $id) @include(if: $editing) {
      ... on Webhook {
        id
        name
        description
        url
        method
        enabled
        events
        entityType
        entityId
        headers { name value }
        authentication { type username jwtSecret ttlSeconds }
        customData
        retryPolicy { schedule }
        timeoutSeconds
        disableAfterConsecutiveFailures
        rateLimitPerSecond
        filter
      }
    }
  }
`);

const TryFilter = graphql(`
  query WebhookFormTryFilter($expression: String!, $event: TestFilterEventInput!) {
    testFilter(expression: $expression, event: $event) { matched error }
  }
`);

const CreateWebhook = graphql(`
  mutation WebhookCreate($input: CreateWebhookInput!) {
    createWebhook(input: $input) { id }
  }
`);

const UpdateWebhook = graphql(`
  mutation WebhookUpdate($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) { id }
  }
`);

type Auth = 'NONE' | 'BASIC' | 'JWT';

const methods: HttpMethod[] = ['POST', 'GET'];

type Form = {
  name: string;
  description: string;
  url: string;
  method: HttpMethod;
  enabled: boolean;
  events: string[];
  secret: string;
  entityType: string;
  entityId: string;
  headers: { name: string; value: string }[];
  auth: Auth;
  username: string;
  password: string;
  jwtSecret: string;
  ttlSeconds: string;
  customData: string;
  schedule: string;
  timeoutSeconds: string;
  disableAfterConsecutiveFailures: string;
  rateLimitPerSecond: string;
  filter: string;
};

const blank: Form = {
  name: '',
  description: '',
  url: '',
  method: 'POST',
  enabled: true,
  events: [],
  secret: '',
  entityType: '',
  entityId: '',
  headers: [],
  auth: 'NONE',
  username: '',
  password: '',
  jwtSecret: '',
  ttlSeconds: '',
  customData: '',
  schedule: '',
  timeoutSeconds: '',
  disableAfterConsecutiveFailures: '',
  rateLimitPerSecond: '',
  filter: '',
};

// The fields shown in the form: errors about them appear at them, the rest
// above the buttons.
const fields = [
  'name', 'description', 'url', 'method', 'enabled', 'events', 'secret', 'entityType', 'entityId', 'headers',
  'authentication', 'customData', 'retryPolicy', 'timeoutSeconds', 'disableAfterConsecutiveFailures', 'rateLimitPerSecond', 'filter',
];

function int(text: string, field: string): number | null {
  if (!text.trim()) return null;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new RequestError([{ message: 'must be a whole number', code: 'BAD_USER_INPUT', field }]);
  return n;
}

export function WebhookForm(props: { workspaceId: string; id?: string }) {
  const editing = !!props.id;
  const q = useQuery(FormData, { workspaceId: props.workspaceId, id: props.id ?? '', editing });
  const create = useMutation(CreateWebhook);
  const update = useMutation(UpdateWebhook);
  const [form, setForm] = useState<Form>(blank);
  const [loaded, setLoaded] = useState(!editing);
  const [authTouched, setAuthTouched] = useState(false);
  const [localError, setLocalError] = useState<RequestError | null>(null);
  const error = localError ?? create.error ?? update.error;
  // A field edited since the last save shows no stale error.
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const errFor = (field: string) => (edited.has(field) ? null : error);
  const busy = create.busy || update.busy;

  const w = q.data?.node && 'url' in q.data.node ? q.data.node : null;
  useEffect(() => {
    if (!w || loaded) return;
    setForm({
      name: w.name,
      description: w.description,
      url: w.url,
      method: w.method,
      enabled: w.enabled,
      events: w.events,
      secret: '',
      entityType: w.entityType ?? '',
      entityId: w.entityId ?? '',
      headers: w.headers,
      auth: w.authentication.type as Auth,
      username: w.authentication.username ?? '',
      password: '',
      jwtSecret: w.authentication.jwtSecret ?? '',
      ttlSeconds: w.authentication.ttlSeconds != null ? String(w.authentication.ttlSeconds) : '',
      customData: w.customData == null ? '' : JSON.stringify(w.customData, null, 2),
      schedule: w.retryPolicy.schedule.join(', '),
      timeoutSeconds: String(w.timeoutSeconds),
      disableAfterConsecutiveFailures: String(w.disableAfterConsecutiveFailures),
      rateLimitPerSecond: w.rateLimitPerSecond != null ? String(w.rateLimitPerSecond) : '',
      filter: w.filter ?? '',
    });
    setLoaded(true);
  }, [w, loaded]);

  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    const keys = Object.keys(patch).map((k) => (k === 'schedule' ? 'retryPolicy' : k));
    setEdited((e) => (keys.every((k) => e.has(k)) ? e : new Set([...e, ...keys])));
  };
  const text = (key: keyof Form) => (e: Event) => set({ [key]: (e.target as HTMLInputElement).value } as Partial<Form>);
  const catalog = q.data?.eventTypes.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const types = catalog.filter((t) => !t.archived);
  const scoped = may(session.get().viewer).scoped;
  // What the webhook may subscribe to: "*", the catalog's types, hookd's
  // own (a scoped webhook never gets those: they have no entity), and what
  // it subscribes to already beyond them (an archived type, or one past
  // the first 1,000).
  const choices: EventChoice[] = [
    ...(scoped ? [] : [{ name: '*', description: 'every type of the catalog (not those sent by hookd)' }]),
    ...types.map((t) => ({ name: t.name, description: t.description })),
    ...(scoped ? [] : operationalTypes),
  ];
  for (const e of form.events) {
    if (choices.some((c) => c.name === e)) continue;
    const archived = catalog.some((t) => t.name === e && t.archived);
    choices.push(archived ? { name: e, description: 'archived: untick it to keep the webhook savable', note: 'archived' } : { name: e, description: 'subscribed' });
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    setLocalError(null);
    setEdited(new Set());
    create.clear();
    update.clear();
    let input: CreateWebhookInput | UpdateWebhookInput;
    try {
      const custom = parseJSON(form.customData, 'input.customData');
      if (custom.error) throw custom.error;
      let schedule: number[] | null = null;
      if (form.schedule.trim()) {
        schedule = form.schedule.split(/[\s,]+/).filter(Boolean).map((s) => {
          const n = Number(s);
          if (!Number.isInteger(n)) throw new RequestError([{ message: `"${s}" is not a whole number of seconds: list delays like 5, 300, 3600`, code: 'BAD_USER_INPUT', field: 'input.retryPolicy' }]);
          return n;
        });
      }
      let authentication: CreateWebhookInput['authentication'] = null;
      if (form.auth === 'BASIC') authentication = { basicAuth: { username: form.username, password: form.password } };
      if (form.auth === 'JWT') authentication = { jwt: { secret: form.jwtSecret || null, ttlSeconds: int(form.ttlSeconds, 'input.authentication.jwt.ttlSeconds') } };
      const common = {
        name: form.name,
        description: form.description,
        url: form.url,
        method: form.method,
        enabled: form.enabled,
        events: form.events,
        entityType: form.entityType || null,
        entityId: form.entityId || null,
        headers: form.headers.filter((h) => h.name || h.value),
        customData: custom.value,
        timeoutSeconds: int(form.timeoutSeconds, 'input.timeoutSeconds'),
        disableAfterConsecutiveFailures: int(form.disableAfterConsecutiveFailures, 'input.disableAfterConsecutiveFailures'),
        rateLimitPerSecond: int(form.rateLimitPerSecond, 'input.rateLimitPerSecond'),
        filter: form.filter.trim() || null,
      };
      if (editing) {
        const u: UpdateWebhookInput = { ...common };
        if (schedule) u.retryPolicy = { schedule };
        if (common.timeoutSeconds == null) delete u.timeoutSeconds;
        if (common.disableAfterConsecutiveFailures == null) delete u.disableAfterConsecutiveFailures;
        // Authentication is sent only when changed: the stored basic-auth
        // password is never shown, so an untouched form keeps it.
        if (authTouched) u.authentication = authentication;
        // The subscriptions are sent only when changed: a type archived
        // since is refused in a new list but stays in the stored one.
        if (!edited.has('events')) delete u.events;
        input = u;
      } else {
        const c: CreateWebhookInput = { ...common, workspaceId: props.workspaceId, secret: form.secret || null, authentication };
        if (schedule) c.retryPolicy = { schedule };
        input = c;
      }
    } catch (err) {
      setLocalError(err as RequestError);
      return;
    }
    const result = editing ? await update.run({ id: props.id!, input: input as UpdateWebhookInput }) : await create.run({ input: input as CreateWebhookInput });
    const id = result && ('createWebhook' in result ? result.createWebhook.id : result.updateWebhook.id);
    if (id) navigate(href(`/webhooks/${id}`));
  };

  if (editing && !w) {
    return (
      <Screen name="webhook-form" title="Edit webhook" ready={!!q.error}>
        {q.error ? <ErrorNote error={q.error} /> : q.loading ? <Loading /> : <p>This webhook does not exist.</p>}
      </Screen>
    );
  }

  return (
    <Screen name="webhook-form" title={editing ? `Edit ${w?.name}` : 'Create webhook'} ready={!!q.data}>
      <form class="form card" onSubmit={submit} noValidate>
        <h3>General</h3>
        <Field label="Name" name="name" error={errFor('name')}>
          <input name="name" value={form.name} onInput={text('name')} required />
        </Field>
        <Field label="URL" name="url" error={errFor('url')} hint="Where hookd sends the requests (https, or http on private networks only if the server allows it).">
          <input name="url" type="url" value={form.url} onInput={text('url')} placeholder="https://example.com/webhooks" required />
        </Field>
        <Field label="Description" name="description" error={errFor('description')} wide>
          <input name="description" value={form.description} onInput={text('description')} />
        </Field>
        <Field
          label="Events"
          name="events"
          error={errFor('events')}
          wide
          group
          hint={types.length ? 'The event types this webhook receives; "*" is every type of the catalog. Those marked "from hookd" are sent by hookd itself.' : undefined}
        >
          {types.length === 0 && (
            <p class="muted">
              No event types yet: <a href={href('/event-types')}>create one</a> first{scoped ? '.' : ', or subscribe to what hookd sends itself.'}
            </p>
          )}
          {choices.length > 0 && (
            <div class="row" role="group" aria-label="events">
              {choices.map((t) => (
                <label class="check" key={t.name} title={t.description ?? ''} data-note={t.note}>
                  <input
                    type="checkbox"
                    name="events"
                    value={t.name}
                    checked={form.events.includes(t.name)}
                    onChange={(e) => {
                      const on = (e.target as HTMLInputElement).checked;
                      set({ events: on ? [...form.events, t.name] : form.events.filter((x) => x !== t.name) });
                    }}
                  />
                  {t.name}
                  {t.note && <span class="muted"> ({t.note})</span>}
                </label>
              ))}
            </div>
          )}
        </Field>
        <Field
          label="Payload filter (optional)"
          name="filter"
          error={errFor('filter')}
          wide
          hint={
            <>
              A CEL expression over <code>event.type</code>, <code>event.data</code>, <code>event.entityType</code>, <code>event.entityId</code> and <code>event.occurredAt</code>: only the events it matches are
              delivered. Empty: every event of the subscribed types. Test runs and Trigger Now ignore it.
            </>
          }
        >
          <textarea name="filter" class="code-input" rows={2} spellcheck={false} value={form.filter} placeholder='event.data.total > 100.0 && event.data.country == "AU"' onInput={text('filter')} />
        </Field>
        {form.filter.trim() && <TryFilterPanel form={form} types={types} />}
        <Field label="Entity type" name="entityType" error={errFor('entityType')} hint="With an entity ID: only events published for this entity reach the webhook.">
          <input name="entityType" value={form.entityType} onInput={text('entityType')} placeholder="e.g. supplier" />
        </Field>
        <Field label="Entity ID" name="entityId" error={errFor('entityId')}>
          <input name="entityId" value={form.entityId} onInput={text('entityId')} placeholder="e.g. 42" />
        </Field>
        <label class="check wide">
          <input type="checkbox" name="enabled" checked={form.enabled} onChange={(e) => set({ enabled: (e.target as HTMLInputElement).checked })} /> Enabled
        </label>

        <h3>HTTP settings</h3>
        <Field label="Method" name="method" error={errFor('method')}>
          <select name="method" value={form.method} onChange={(e) => set({ method: (e.target as HTMLSelectElement).value as HttpMethod })}>
            {methods.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </Field>
        {!editing ? (
          <Field label="Signing secret" name="secret" error={errFor('secret')} hint="whsec_ followed by the base64 of 12 to 64 random bytes; leave empty to have one generated.">
            <input name="secret" value={form.secret} onInput={text('secret')} autoComplete="off" />
          </Field>
        ) : (
          <p class="muted">The signing secret is rotated on the webhook's HTTP settings tab.</p>
        )}
        <Field label="Headers" name="headers" error={errFor('headers')} wide group hint="Sent with every request. Values of credential-like headers are stored encrypted.">
          <div class="headers-edit">
            {form.headers.map((h, i) => (
              <div class="row" key={i}>
                <input
                  name={`headers.${i}.name`}
                  aria-label="header name"
                  placeholder="X-Header"
                  value={h.name}
                  onInput={(e) => set({ headers: form.headers.map((x, j) => (j === i ? { ...x, name: (e.target as HTMLInputElement).value } : x)) })}
                />
                <input
                  name={`headers.${i}.value`}
                  aria-label="header value"
                  placeholder="value"
                  value={h.value}
                  onInput={(e) => set({ headers: form.headers.map((x, j) => (j === i ? { ...x, value: (e.target as HTMLInputElement).value } : x)) })}
                />
                <button type="button" class="small" onClick={() => set({ headers: form.headers.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </div>
            ))}
            <button type="button" class="small" onClick={() => set({ headers: [...form.headers, { name: '', value: '' }] })}>
              Add header
            </button>
          </div>
        </Field>
        <Field label="Authentication" name="authentication" error={errFor('authentication')} wide>
          <select
            name="authentication"
            value={form.auth}
            onChange={(e) => {
              setAuthTouched(true);
              set({ auth: (e.target as HTMLSelectElement).value as Auth });
            }}
          >
            <option value="NONE">None (the signature only)</option>
            <option value="BASIC">Basic authentication</option>
            <option value="JWT">JWT bearer token</option>
          </select>
        </Field>
        {form.auth === 'BASIC' && (
          <>
            <Field label="Username" name="authentication.basicAuth.username" error={errFor('authentication.basicAuth.username')}>
              <input name="username" value={form.username} onInput={(e) => (setAuthTouched(true), text('username')(e))} />
            </Field>
            <Field label="Password" name="authentication.basicAuth.password" error={errFor('authentication.basicAuth.password')} hint={editing && !authTouched ? 'Stored and never shown: type a new one to change it.' : undefined}>
              <input name="password" type="password" autoComplete="new-password" value={form.password} onInput={(e) => (setAuthTouched(true), text('password')(e))} />
            </Field>
          </>
        )}
        {form.auth === 'JWT' && (
          <>
            <Field label="JWT secret" name="authentication.jwt.secret" error={errFor('authentication.jwt.secret')} hint="HS256 key; empty: generated.">
              <input name="jwtSecret" value={form.jwtSecret} autoComplete="off" onInput={(e) => (setAuthTouched(true), text('jwtSecret')(e))} />
            </Field>
            <Field label="JWT lifetime (seconds)" name="authentication.jwt.ttlSeconds" error={errFor('authentication.jwt.ttlSeconds')}>
              <input name="ttlSeconds" inputMode="numeric" value={form.ttlSeconds} onInput={(e) => (setAuthTouched(true), text('ttlSeconds')(e))} />
            </Field>
          </>
        )}
        <Field label="Timeout (seconds)" name="timeoutSeconds" error={errFor('timeoutSeconds')}>
          <input name="timeoutSeconds" inputMode="numeric" value={form.timeoutSeconds} onInput={text('timeoutSeconds')} placeholder="default" />
        </Field>
        <Field label="Rate limit (requests per second)" name="rateLimitPerSecond" error={errFor('rateLimitPerSecond')}>
          <input name="rateLimitPerSecond" inputMode="numeric" value={form.rateLimitPerSecond} onInput={text('rateLimitPerSecond')} placeholder="unlimited" />
        </Field>
        <Field label="Retry schedule (seconds between attempts)" name="retryPolicy" error={errFor('retryPolicy')} hint="e.g. 5, 300, 1800, 7200; empty keeps the default.">
          <input name="retryPolicy" value={form.schedule} onInput={text('schedule')} />
        </Field>
        <Field label="Disable after consecutive failures" name="disableAfterConsecutiveFailures" error={errFor('disableAfterConsecutiveFailures')} hint="0 never disables.">
          <input name="disableAfterConsecutiveFailures" inputMode="numeric" value={form.disableAfterConsecutiveFailures} onInput={text('disableAfterConsecutiveFailures')} placeholder="default" />
        </Field>

        <h3>Custom data</h3>
        <Field label="Custom data (JSON object, sent to the receiver as &quot;custom&quot;)" name="customData" error={errFor('customData')} wide>
          <JSONInput name="customData" value={form.customData} onInput={(t) => set({ customData: t })} rows={6} placeholder='{"supplierCode": "ACME"}' />
        </Field>

        <ErrorNote error={error} fields={fields} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>
            {editing ? 'Save webhook' : 'Create webhook'}
          </button>
          <a href={editing ? href(`/webhooks/${props.id}`) : href('/webhooks')}>
            <button type="button">Cancel</button>
          </a>
        </div>
      </form>
    </Screen>
  );
}

// TryFilterPanel runs the filter being typed on an example event (testFilter:
// nothing is saved or sent), so a mistake shows before the webhook is saved.
function TryFilterPanel(props: { form: Form; types: { name: string; examplePayload?: unknown }[] }) {
  const subscribed = props.form.events.includes('*') ? props.types.map((t) => t.name) : props.form.events;
  const [type, setType] = useState(subscribed[0] ?? props.types[0]?.name ?? '');
  const example = props.types.find((t) => t.name === type)?.examplePayload;
  const [data, setData] = useState(example == null ? '' : JSON.stringify(example, null, 2));
  const [result, setResult] = useState<{ matched: boolean; error: string | null } | null>(null);
  const [failure, setFailure] = useState<RequestError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setData(example == null ? '' : JSON.stringify(example, null, 2));
    setResult(null);
  }, [type]);
  const run = async () => {
    setResult(null);
    setFailure(null);
    const parsed = parseJSON(data, 'event.data');
    if (parsed.error) {
      setFailure(parsed.error);
      return;
    }
    setBusy(true);
    try {
      const r = await request(TryFilter, {
        expression: props.form.filter,
        event: { type, data: parsed.value, entityType: props.form.entityType || null, entityId: props.form.entityId || null },
      });
      setResult(r.testFilter);
    } catch (e) {
      setFailure(e as RequestError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="try-filter wide card" data-try-filter>
      <div class="row">
        <strong>Try it on an example</strong>
        <select name="tryType" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
          {(subscribed.length ? subscribed : props.types.map((t) => t.name)).map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <button type="button" onClick={run} disabled={busy}>
          Try filter
        </button>
        {result && (
          <span role="status" data-filter-result={result.error ? 'error' : result.matched ? 'matched' : 'not-matched'}>
            {result.error ? <span class="field-error">{result.error}</span> : result.matched ? <Badge kind="ok">matches: it would be delivered</Badge> : <Badge kind="muted">does not match: it would be filtered out</Badge>}
          </span>
        )}
      </div>
      <JSONInput name="tryData" value={data} onInput={setData} rows={5} placeholder="the example event's data (JSON)" />
      <ErrorNote error={failure} />
    </div>
  );
}
