// The event type catalog: the types webhooks subscribe to and events are
// published with. Listed with their subscribers (archived ones on demand),
// created, edited (description, example payload, JSON schema), archived and
// unarchived.
import { useState } from 'preact/hooks';
import { RequestError } from '../api';
import { graphql } from '../gql';
import type { EventTypesListQuery } from '../gql/graphql';
import { useMutation, useQuery } from '../hooks';
import { setQuery, useLocation } from '../router';
import { may, session } from '../session';
import { useStore } from '../store';
import { Badge, Empty, ErrorNote, Field, JSONInput, Loading, Modal, Pager, Screen, TextView, Time, parseJSON } from '../ui';

const EventTypesList = graphql(`
  query EventTypesList($workspaceId: ID!, $first: Int, $after: Cursor, $includeArchived: Boolean) {
    eventTypes(workspaceId: $workspaceId, first: $first, after: $after, includeArchived: $includeArchived, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          id
          name
          description
          examplePayload
          schema
          archived
          subscribedWebhooks
          createdAt
          updatedAt
        }
      }
    }
  }
`);

const EventTypesCreate = graphql(`
  mutation EventTypesCreate($input: CreateEventTypeInput!) {
    createEventType(input: $input) { id name }
  }
`);

const EventTypesUpdate = graphql(`
  mutation EventTypesUpdate($id: ID!, $input: UpdateEventTypeInput!) {
    updateEventType(id: $id, input: $input) { id name description examplePayload schema archived subscribedWebhooks updatedAt }
  }
`);

type EventType = NonNullable<NonNullable<NonNullable<EventTypesListQuery['eventTypes']['edges']>[number]>['node']>;

const pageSize = 25;

// The form's fields: errors about them are shown at them.
const fields = ['name', 'description', 'examplePayload', 'schema'];

type Draft = { name: string; description: string; examplePayload: string; schema: string };
const blank: Draft = { name: '', description: '', examplePayload: '', schema: '' };

function jsonText(value: unknown): string {
  return value == null ? '' : JSON.stringify(value, null, 2);
}

// readDocuments parses the two JSON fields, gathering both their errors.
function readDocuments(examplePayload: string, schema: string): { examplePayload: unknown; schema: unknown; error: RequestError | null } {
  const example = parseJSON(examplePayload, 'input.examplePayload');
  const sch = parseJSON(schema, 'input.schema');
  const errors = [...(example.error?.errors ?? []), ...(sch.error?.errors ?? [])];
  return { examplePayload: example.value, schema: sch.value, error: errors.length ? new RequestError(errors) : null };
}

export function EventTypes(props: { workspaceId: string }) {
  const { query } = useLocation();
  const { viewer } = useStore(session);
  const can = may(viewer);
  const includeArchived = query.get('archived') === '1';
  const after = query.get('after');
  const q = useQuery(EventTypesList, { workspaceId: props.workspaceId, first: pageSize, after, includeArchived });
  const conn = q.data?.eventTypes;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];

  const create = useMutation(EventTypesCreate);
  const archive = useMutation(EventTypesUpdate);
  const [draft, setDraft] = useState<Draft>(blank);
  const [localError, setLocalError] = useState<RequestError | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [open, setOpen] = useState<EventType | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const error = localError ?? create.error;

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setLocalError(null);
    setCreated(null);
    create.clear();
    const docs = readDocuments(draft.examplePayload, draft.schema);
    if (docs.error) {
      setLocalError(docs.error);
      return;
    }
    const r = await create.run({
      input: {
        workspaceId: props.workspaceId,
        name: draft.name.trim(),
        description: draft.description,
        examplePayload: docs.examplePayload,
        schema: docs.schema,
      },
    });
    if (r) {
      setCreated(r.createEventType.name);
      setDraft(blank);
      q.reload();
    }
  };

  const setArchived = async (et: EventType, archived: boolean) => {
    setNotice(null);
    const r = await archive.run({ id: et.id, input: { archived } });
    if (r) {
      setNotice(
        archived
          ? `Archived ${et.name}: webhooks can no longer subscribe to it and events can no longer be published with it.`
          : `Unarchived ${et.name}: it can be subscribed to and published again.`,
      );
      q.reload();
    }
  };

  return (
    <Screen
      name="event-types"
      title="Event types"
      sub="The catalog of event types: webhooks subscribe to them and events are published with them."
      ready={!!q.data || !!q.error}
      actions={
        <label class="check">
          <input
            type="checkbox"
            name="includeArchived"
            checked={includeArchived}
            onChange={(e) => setQuery({ archived: (e.target as HTMLInputElement).checked ? '1' : null, after: null })}
          />
          Show archived
        </label>
      }
    >
      {can.catalog && !open && (
        <form class="form card" data-form="create-event-type" onSubmit={submit} noValidate>
          <h2 class="wide">New event type</h2>
          <Field label="Name" name="name" error={error} hint="Letters, digits, '.', '_' or '-', e.g. order.created. It cannot be changed later.">
            <input name="name" value={draft.name} autoComplete="off" placeholder="e.g. order.created" onInput={(e) => set({ name: (e.target as HTMLInputElement).value })} />
          </Field>
          <Field label="Description" name="description" error={error}>
            <input name="description" value={draft.description} placeholder="e.g. An order was placed" onInput={(e) => set({ description: (e.target as HTMLInputElement).value })} />
          </Field>
          <Field label="Example payload (JSON, sent by test runs)" name="examplePayload" error={error}>
            <JSONInput name="examplePayload" value={draft.examplePayload} rows={6} placeholder='{"orderId": "ORD-1", "total": 42.5}' onInput={(t) => set({ examplePayload: t })} />
          </Field>
          <Field label="JSON schema (optional: published payloads must satisfy it)" name="schema" error={error}>
            <JSONInput name="schema" value={draft.schema} rows={6} placeholder='{"type": "object", "required": ["orderId"]}' onInput={(t) => set({ schema: t })} />
          </Field>
          <ErrorNote error={error} fields={fields} />
          <div class="form-actions">
            <button type="submit" class="primary" disabled={create.busy}>
              Create event type
            </button>
            {created && (
              <span class="muted" role="status">
                Created {created}.
              </span>
            )}
          </div>
        </form>
      )}

      <ErrorNote error={q.error} />
      <ErrorNote error={archive.error} />
      {notice && (
        <p class="banner info" role="status">
          {notice}
        </p>
      )}
      {!conn && !q.error && <Loading />}
      {conn && rows.length === 0 && (
        <Empty>
          {after ? (
            <p>There are no more event types on this page.</p>
          ) : can.catalog ? (
            <p>No event types yet. Create one to let webhooks subscribe to it.</p>
          ) : (
            <p>No event types yet. A token with the WRITE or ADMIN role can create them; webhooks then subscribe to them.</p>
          )}
          {!includeArchived && !after && <p>Archived event types are hidden: tick “Show archived” to see them.</p>}
        </Empty>
      )}
      {rows.length > 0 && (
        <table data-list="event-types">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Subscribed webhooks</th>
              <th>Updated</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((et) => (
              <tr key={et.id} data-id={et.id} data-name={et.name}>
                <td>
                  <code>{et.name}</code> {et.archived && <Badge kind="muted">archived</Badge>}
                  {et.schema != null && (
                    <>
                      {' '}
                      <Badge kind="muted" title="Published payloads are validated against a JSON schema">
                        schema
                      </Badge>
                    </>
                  )}
                </td>
                <td>{et.description || <span class="muted">—</span>}</td>
                <td title="Enabled webhooks subscribed to this type, by name or with &quot;*&quot;">{et.subscribedWebhooks}</td>
                <td>
                  <Time value={et.updatedAt} />
                </td>
                <td>
                  <div class="row">
                    <button type="button" class="small" onClick={() => setOpen(et)}>
                      {can.catalog ? 'Edit' : 'View'}
                    </button>
                    {can.catalog &&
                      (et.archived ? (
                        <button type="button" class="small" disabled={archive.busy} onClick={() => setArchived(et, false)}>
                          Unarchive
                        </button>
                      ) : (
                        <button type="button" class="small danger" disabled={archive.busy} onClick={() => setArchived(et, true)}>
                          Archive
                        </button>
                      ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pageInfo={conn?.pageInfo} total={conn?.totalCount} />
      {open && (
        <EventTypeDialog
          et={open}
          canWrite={can.catalog}
          onClose={() => setOpen(null)}
          onSaved={() => {
            setOpen(null);
            q.reload();
          }}
        />
      )}
    </Screen>
  );
}

// EventTypeDialog shows one type's example payload and schema, and lets a
// writer change them and the description (the name is fixed).
function EventTypeDialog(props: { et: EventType; canWrite: boolean; onClose: () => void; onSaved: () => void }) {
  const { et } = props;
  const update = useMutation(EventTypesUpdate);
  const [description, setDescription] = useState(et.description);
  const [examplePayload, setExamplePayload] = useState(jsonText(et.examplePayload));
  const [schema, setSchema] = useState(jsonText(et.schema));
  const [localError, setLocalError] = useState<RequestError | null>(null);
  const error = localError ?? update.error;

  const save = async (e: Event) => {
    e.preventDefault();
    setLocalError(null);
    update.clear();
    const docs = readDocuments(examplePayload, schema);
    if (docs.error) {
      setLocalError(docs.error);
      return;
    }
    // An emptied JSON field is sent as null, which clears it.
    const r = await update.run({ id: et.id, input: { description, examplePayload: docs.examplePayload, schema: docs.schema } });
    if (r) props.onSaved();
  };

  if (!props.canWrite) {
    return (
      <Modal title={et.name} onClose={props.onClose} name="event-type">
        <p>{et.description || <span class="muted">No description.</span>}</p>
        <h3>Example payload</h3>
        <TextView value={et.examplePayload} empty="No example payload." />
        <h3>JSON schema</h3>
        <TextView value={et.schema} empty="No schema: any payload is accepted." />
      </Modal>
    );
  }
  return (
    <Modal title={`Edit ${et.name}`} onClose={props.onClose} name="event-type">
      <form class="form" data-form="edit-event-type" onSubmit={save} noValidate>
        <Field label="Description" name="description" error={error} wide>
          <input name="description" value={description} onInput={(e) => setDescription((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Example payload (JSON; empty removes it)" name="examplePayload" error={error}>
          <JSONInput name="examplePayload" value={examplePayload} rows={12} onInput={setExamplePayload} />
        </Field>
        <Field label="JSON schema (empty removes it)" name="schema" error={error}>
          <JSONInput name="schema" value={schema} rows={12} onInput={setSchema} />
        </Field>
        <ErrorNote error={error} fields={fields} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={update.busy}>
            Save
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
