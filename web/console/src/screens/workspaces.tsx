// Workspaces, for instance admin tokens: every workspace of the instance,
// creating one, and switching the console to one.
import { useEffect, useState } from 'preact/hooks';
import { RequestError } from '../api';
import { graphql } from '../gql';
import { useMutation, useQuery } from '../hooks';
import { href, navigate, setQuery, useLocation } from '../router';
import { may, session, switchWorkspace, workspacesChanged } from '../session';
import { useStore } from '../store';
import { Badge, Empty, ErrorNote, Field, Loading, Pager, Screen, Time } from '../ui';

const WorkspacesList = graphql(`
  query WorkspacesList($first: Int, $after: Cursor, $where: WorkspaceWhereInput) {
    workspaces(first: $first, after: $after, orderBy: { field: NAME, direction: ASC }, where: $where) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { node { id name createdAt exclusiveEventTypes } }
    }
  }
`);

const WorkspacesCreate = graphql(`
  mutation WorkspacesCreate($input: CreateWorkspaceInput!) {
    createWorkspace(input: $input) { id name createdAt exclusiveEventTypes }
  }
`);

const pageSize = 25;

const fields = ['name', 'exclusiveEventTypes'];

function switchTo(id: string) {
  switchWorkspace(id);
  navigate(href('/'));
}

export function Workspaces() {
  const { query } = useLocation();
  const { viewer, workspaceId } = useStore(session);
  const can = may(viewer);
  const after = query.get('after');
  const search = query.get('q') ?? '';
  const [typed, setTyped] = useState(search);
  // Back and forward change the address: the box follows it.
  useEffect(() => setTyped(search), [search]);
  const q = useQuery(WorkspacesList, { first: pageSize, after, where: search ? { nameContainsFold: search } : null }, { skip: !can.admin });
  const conn = q.data?.workspaces;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];

  const create = useMutation(WorkspacesCreate);
  const [name, setName] = useState('');
  const [exclusive, setExclusive] = useState(false);
  const [localError, setLocalError] = useState<RequestError | null>(null);
  const [created, setCreated] = useState<{ id: string; name: string } | null>(null);
  const error = localError ?? create.error;

  if (!can.admin) {
    return (
      <Screen name="workspaces" title="Workspaces" ready>
        <Empty>
          <p>This screen is for instance admins: only an instance admin token (hookd token create --admin) lists and creates workspaces.</p>
          <p>Your token belongs to the workspace {viewer?.workspace?.name ?? ''}.</p>
        </Empty>
      </Screen>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    setLocalError(null);
    setCreated(null);
    create.clear();
    if (!name.trim()) {
      setLocalError(new RequestError([{ message: 'give the workspace a name', code: 'BAD_USER_INPUT', field: 'input.name' }]));
      return;
    }
    const r = await create.run({ input: { name: name.trim(), exclusiveEventTypes: exclusive } });
    if (r) {
      workspacesChanged();
      setCreated({ id: r.createWorkspace.id, name: r.createWorkspace.name });
      setName('');
      setExclusive(false);
      q.reload();
    }
  };

  return (
    <Screen name="workspaces" title="Workspaces" sub="Every workspace of this hookd instance. Each has its own webhooks, event types, events and tokens." ready={!!q.data || !!q.error}>
      {created && (
        <p class="banner info row" role="status" data-created={created.id}>
          <span>
            Created the workspace {created.name} (<code>{created.id}</code>).
          </span>
          <button type="button" class="small primary" onClick={() => switchTo(created.id)}>
            Open {created.name}
          </button>
        </p>
      )}
      <form class="form card" data-form="create-workspace" onSubmit={submit} noValidate>
        <h2 class="wide">New workspace</h2>
        <Field label="Name" name="name" error={error}>
          <input name="name" value={name} autoComplete="off" placeholder="e.g. Acme marketplace" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <Field
          label="Exclusive event types"
          name="exclusiveEventTypes"
          error={error}
          hint="When on, each event type may be subscribed by at most one webhook per entity scope, and no webhook may subscribe to “*”."
        >
          <span class="check">
            <input type="checkbox" name="exclusiveEventTypes" style={{ width: 'auto' }} checked={exclusive} onChange={(e) => setExclusive((e.target as HTMLInputElement).checked)} />
            One webhook per event type and entity
          </span>
        </Field>
        <ErrorNote error={error} fields={fields} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={create.busy}>
            Create workspace
          </button>
        </div>
      </form>

      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: typed.trim() || null, after: null });
        }}
      >
        <label>
          Search by name
          <input type="search" name="q" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} placeholder="e.g. acme" />
        </label>
        <button type="submit">Search</button>
        {search && (
          <button
            type="button"
            onClick={() => {
              setTyped('');
              setQuery({ q: null, after: null });
            }}
          >
            Clear search
          </button>
        )}
      </form>
      <ErrorNote error={q.error} />
      {!q.data && !q.error && <Loading />}
      {conn && rows.length === 0 && (
        <Empty>
          {search ? (
            <p>No workspace's name contains “{search}”.</p>
          ) : (
            <p>No workspaces yet. Create one above, then switch to it to add event types, webhooks and tokens.</p>
          )}
        </Empty>
      )}
      {rows.length > 0 && (
        <table data-list="workspaces">
          <thead>
            <tr>
              <th>Name</th>
              <th>ID</th>
              <th>Created</th>
              <th>Exclusive event types</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => (
              <tr key={w.id} data-id={w.id} data-name={w.name}>
                <td>{w.name}</td>
                <td>
                  <code>{w.id}</code>
                </td>
                <td>
                  <Time value={w.createdAt} />
                </td>
                <td>{w.exclusiveEventTypes ? <Badge kind="wait">exclusive</Badge> : <span class="muted">no</span>}</td>
                <td>
                  {w.id === workspaceId ? (
                    <Badge kind="ok">current</Badge>
                  ) : (
                    <button type="button" class="small" onClick={() => switchTo(w.id)}>
                      Switch to
                    </button>
                  )}
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
