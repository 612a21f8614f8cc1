// The workspace's API tokens: listed (never the token itself: hookd keeps a
// hash), created with a role and an optional expiry (the token is shown once),
// and revoked after a confirmation.
import { useState } from 'preact/hooks';
import { RequestError } from '../api';
import { graphql } from '../gql';
import type { Role, TokensListQuery } from '../gql/graphql';
import { useMutation, useQuery } from '../hooks';
import { useLocation } from '../router';
import { may, session } from '../session';
import { useStore } from '../store';
import { Badge, Copy, Empty, ErrorNote, Field, Loading, Pager, Screen, Time } from '../ui';

const TokensList = graphql(`
  query TokensList($workspaceId: ID!, $first: Int, $after: Cursor) {
    viewer { token { id } }
    node(id: $workspaceId) {
      ... on Workspace {
        id
        name
        apiTokens(first: $first, after: $after, orderBy: { field: CREATED_AT, direction: DESC }) {
          totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges {
            node {
              id
              name
              role
              tokenPrefix
              createdAt
              lastUsedAt
              expiresAt
              revokedAt
              entityType
              entityId
            }
          }
        }
      }
    }
  }
`);

const TokensCreate = graphql(`
  mutation TokensCreate($input: CreateAPITokenInput!) {
    createAPIToken(input: $input) {
      token
      apiToken { id name role tokenPrefix expiresAt entityType entityId }
    }
  }
`);

const TokensRevoke = graphql(`
  mutation TokensRevoke($id: ID!) {
    revokeAPIToken(id: $id) { id revokedAt }
  }
`);

type Token = NonNullable<NonNullable<NonNullable<Extract<NonNullable<TokensListQuery['node']>, { apiTokens: unknown }>['apiTokens']['edges']>[number]>['node']>;

const pageSize = 25;

const roles: { role: Role; what: string }[] = [
  { role: 'READ', what: 'reads everything but secrets' },
  { role: 'PUBLISH', what: 'publishes events, nothing else' },
  { role: 'WRITE', what: 'manages webhooks and event types, publishes, retries' },
  { role: 'ADMIN', what: 'everything in the workspace, including tokens and secrets' },
];

const fields = ['name', 'role', 'expiresAt', 'entityType', 'entityId'];

function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function state(t: Token): { kind: string; label: string } {
  if (t.revokedAt) return { kind: 'bad', label: 'revoked' };
  if (t.expiresAt && new Date(t.expiresAt).getTime() <= Date.now()) return { kind: 'muted', label: 'expired' };
  return { kind: 'ok', label: 'active' };
}

export function Tokens(props: { workspaceId: string }) {
  const { query } = useLocation();
  const { viewer } = useStore(session);
  const can = may(viewer);
  const after = query.get('after');
  const q = useQuery(TokensList, { workspaceId: props.workspaceId, first: pageSize, after }, { skip: !can.manage });
  const ws = q.data?.node && 'apiTokens' in q.data.node ? q.data.node : null;
  const conn = ws?.apiTokens;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  // The token this console is signed in with: revoking it signs out.
  const own = q.data?.viewer.token?.id ?? null;

  const create = useMutation(TokensCreate);
  const revoke = useMutation(TokensRevoke);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('READ');
  const [expiresAt, setExpiresAt] = useState('');
  // A token scoped to one entity (a partner's own key): it sees only that
  // entity's webhooks, deliveries and events.
  const [entityType, setEntityType] = useState('');
  const [entityId, setEntityId] = useState('');
  const [localError, setLocalError] = useState<RequestError | null>(null);
  const [made, setMade] = useState<{ token: string; name: string; role: string } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const error = localError ?? create.error;

  if (!can.manage) {
    return (
      <Screen name="tokens" title="API tokens" ready>
        <Empty>
          <p>API tokens are managed with a token that has the ADMIN role (or an instance admin token).</p>
        </Empty>
      </Screen>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    setLocalError(null);
    create.clear();
    const expires = fromLocalInput(expiresAt);
    if (expiresAt && !expires) {
      setLocalError(new RequestError([{ message: 'not a valid date and time', code: 'BAD_USER_INPUT', field: 'input.expiresAt' }]));
      return;
    }
    const r = await create.run({
      input: { workspaceId: props.workspaceId, name: name.trim() || null, role, expiresAt: expires, entityType: entityType.trim() || null, entityId: entityId.trim() || null },
    });
    if (r) {
      const t = r.createAPIToken.apiToken;
      setMade({ token: r.createAPIToken.token, name: t.name, role: (t.role ?? role) + (t.entityType ? ` for ${t.entityType}:${t.entityId}` : '') });
      setName('');
      setExpiresAt('');
      setEntityType('');
      setEntityId('');
      q.reload();
    }
  };

  const confirmRevoke = async (id: string) => {
    const r = await revoke.run({ id });
    if (r) {
      setConfirming(null);
      q.reload();
    }
  };

  return (
    <Screen name="tokens" title="API tokens" sub={ws ? `Tokens of the workspace ${ws.name}. hookd stores only their hash: a token is shown once, when it is created.` : undefined} ready={!!q.data || !!q.error}>
      {made && (
        <section class="once" data-token-once role="status">
          <p>
            <strong>
              Token {made.name ? `“${made.name}” ` : ''}({made.role}) created. Copy it now: it will not be shown again.
            </strong>
          </p>
          <p class="row">
            <code data-token>{made.token}</code> <Copy text={made.token} label="Copy token" />
          </p>
          <p class="muted">Send it as the header Authorization: Bearer &lt;token&gt;. If it is lost, revoke it and create another.</p>
          <button type="button" class="small" onClick={() => setMade(null)}>
            I have copied it
          </button>
        </section>
      )}
      <form class="form card" data-form="create-token" onSubmit={submit} noValidate>
        <h2 class="wide">New token</h2>
        <Field label="Name" name="name" error={error} hint="What or who uses it, e.g. orders-service.">
          <input name="name" value={name} autoComplete="off" placeholder="e.g. orders-service" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Role" name="role" error={error} hint={roles.find((r) => r.role === role)?.what}>
          <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as Role)}>
            {roles.map((r) => (
              <option key={r.role} value={r.role}>
                {r.role}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Entity type (optional)" name="entityType" error={error} hint="With an entity ID: the token sees and manages only that entity's webhooks, deliveries and events — a partner's own key.">
          <input name="entityType" value={entityType} placeholder="e.g. supplier" onInput={(e) => setEntityType((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Entity ID" name="entityId" error={error}>
          <input name="entityId" value={entityId} placeholder="e.g. 42" onInput={(e) => setEntityId((e.target as HTMLInputElement).value)} />
        </Field>
        <Field label="Expires (optional)" name="expiresAt" error={error} hint="Empty: it never expires (revoke it when it is no longer needed).">
          <input type="datetime-local" name="expiresAt" value={expiresAt} onInput={(e) => setExpiresAt((e.target as HTMLInputElement).value)} />
        </Field>
        <ErrorNote error={error} fields={fields} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={create.busy}>
            Create token
          </button>
        </div>
      </form>

      <ErrorNote error={q.error} />
      <ErrorNote error={revoke.error} />
      {!q.data && !q.error && <Loading />}
      {conn && rows.length === 0 && (
        <Empty>
          <p>No API tokens in this workspace yet. Create one above for each service or person that calls hookd.</p>
        </Empty>
      )}
      {rows.length > 0 && (
        <table data-list="tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Scope</th>
              <th>Prefix</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>State</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => {
              const s = state(t);
              return (
                <tr key={t.id} data-id={t.id} data-name={t.name}>
                  <td>
                    {t.name || <span class="muted">(unnamed)</span>}{' '}
                    {t.id === own && (
                      <Badge kind="wait" title="The token this console is signed in with">
                        this session
                      </Badge>
                    )}
                  </td>
                  <td>
                    <Badge kind="muted">{t.role ?? 'admin'}</Badge>
                  </td>
                  <td data-scope>{t.entityType ? `${t.entityType}:${t.entityId}` : <span class="muted">workspace</span>}</td>
                  <td>
                    <code>{t.tokenPrefix}…</code>
                  </td>
                  <td>
                    <Time value={t.createdAt} />
                  </td>
                  <td>
                    <Time value={t.lastUsedAt} empty="never" />
                  </td>
                  <td>
                    <Time value={t.expiresAt} empty="never" />
                  </td>
                  <td>
                    <Badge kind={s.kind}>{s.label}</Badge> {t.revokedAt && <Time value={t.revokedAt} />}
                  </td>
                  <td>
                    {!t.revokedAt &&
                      (confirming === t.id ? (
                        <div class="row" data-confirm={t.id}>
                          <span>{t.id === own ? 'This console is signed in with this token: you will be signed out.' : 'Requests with this token will fail at once.'}</span>
                          <button type="button" class="small danger" disabled={revoke.busy} onClick={() => confirmRevoke(t.id)}>
                            Confirm revoke
                          </button>
                          <button
                            type="button"
                            class="small"
                            onClick={() => {
                              setConfirming(null);
                              revoke.clear();
                            }}
                          >
                            Cancel
                          </button>
                        </div>
                      ) : (
                        <button
                          type="button"
                          class="small danger"
                          onClick={() => {
                            revoke.clear();
                            setConfirming(t.id);
                          }}
                        >
                          Revoke
                        </button>
                      ))}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager pageInfo={conn?.pageInfo} total={conn?.totalCount} />
    </Screen>
  );
}
