// The console's frame: sign-in, the navigation a token's role allows, the
// workspace switcher of instance admins, the live connection's state, and
// the screens.
import { useEffect, useState } from 'preact/hooks';
import { live, request, RequestError } from './api';
import { graphql } from './gql';
import { AttemptDialog } from './screens/attempt';
import { EventTypes } from './screens/eventtypes';
import { Events, EventDetails } from './screens/events';
import { LiveFeed } from './screens/live';
import { Overview } from './screens/overview';
import { Publish } from './screens/publish';
import { Tokens } from './screens/tokens';
import { WebhookDetails } from './screens/webhook';
import { WebhookForm } from './screens/webhookform';
import { Webhooks } from './screens/webhooks';
import { Workspaces } from './screens/workspaces';
import { href, match, navigate, onLinkClick, setQuery, useLocation } from './router';
import { may, session, setViewer, signIn, signOut, switchWorkspace, workspaces } from './session';
import { useStore } from './store';
import { ErrorNote, Field } from './ui';

const ViewerQuery = graphql(`
  query ConsoleViewer {
    viewer {
      admin
      role
      token { name expiresAt entityType entityId }
      workspace { id name }
    }
  }
`);

// The switcher offers the first workspaces by name, the current one even
// when it is not among them, and the Workspaces screen (which pages and
// searches) for the rest.
const switcherSize = 100;

const WorkspacesQuery = graphql(`
  query ConsoleWorkspaces($first: Int!) {
    workspaces(first: $first, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      edges { node { id name } }
    }
  }
`);

const CurrentWorkspaceQuery = graphql(`
  query ConsoleCurrentWorkspace($id: ID!) {
    node(id: $id) { ... on Workspace { id name } }
  }
`);

// allWorkspaces is the switcher's value that opens the Workspaces screen.
const allWorkspaces = '#all';

// How often the session checks that its token still works, so that a
// revoked token signs out even on a screen that only listens.
const checkEvery = 20_000;

export function App() {
  const s = useStore(session);
  const [error, setError] = useState<RequestError | null>(null);

  useEffect(() => {
    if (!s.token) return;
    let stop = false;
    const check = () =>
      request(ViewerQuery, {}).then(
        (d) => {
          if (stop) return;
          setViewer({
            admin: d.viewer.admin,
            role: d.viewer.role ?? null,
            tokenName: d.viewer.token?.name ?? null,
            scope: d.viewer.token?.entityType ? `${d.viewer.token.entityType}:${d.viewer.token.entityId}` : null,
            expiresAt: d.viewer.token?.expiresAt ?? null,
            workspace: d.viewer.workspace ?? null,
          });
          setError(null);
        },
        (e: RequestError) => !stop && setError(e),
      );
    check();
    const timer = setInterval(check, checkEvery);
    const onFocus = () => check();
    addEventListener('focus', onFocus);
    return () => {
      stop = true;
      clearInterval(timer);
      removeEventListener('focus', onFocus);
    };
  }, [s.token]);

  // An expiring token signs out when it expires, saying so.
  useEffect(() => {
    const at = s.viewer?.expiresAt;
    if (!at) return;
    let timer = 0;
    // Timers wait at most 2^31-1 ms: a far expiry is checked again later.
    const wait = () => {
      const ms = new Date(at).getTime() - Date.now();
      if (ms <= 0) signOut(`You were signed out: your API token expired at ${new Date(at).toLocaleString()}.`);
      else timer = window.setTimeout(wait, Math.min(ms, 2 ** 30));
    };
    wait();
    return () => clearTimeout(timer);
  }, [s.viewer?.expiresAt]);

  if (!s.token) return <SignIn because={s.signedOutBecause} />;
  if (!s.viewer) {
    return (
      <div class="boot">
        {error ? <ErrorNote error={error} /> : <p class="muted">Signing in…</p>}
        {error && (
          <button type="button" onClick={() => signOut()}>
            Sign in with another token
          </button>
        )}
      </div>
    );
  }
  return <Shell />;
}

function SignIn(props: { because: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<RequestError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const t = token.trim();
    if (!t) {
      setError(new RequestError([{ message: 'paste an API token: hookd token create prints one, and make run prints a sign-in link', code: 'BAD_USER_INPUT', field: 'token' }]));
      return;
    }
    setBusy(true);
    try {
      await request(ViewerQuery, {}, t);
      signIn(t);
    } catch (err) {
      setError(err as RequestError);
      setBusy(false);
    }
  };
  return (
    <main data-screen="sign-in" data-ready="true" class="sign-in">
      <form onSubmit={submit} class="card">
        <h1>hookd</h1>
        <p>Sign in with an API token. It is kept in this tab only (sessionStorage) and sent as a Bearer header; closing the tab or signing out forgets it.</p>
        {props.because && (
          <p class="error-note" role="alert">
            {props.because}
          </p>
        )}
        <Field label="API token" name="token" error={error}>
          <input type="password" name="token" autoComplete="off" value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        </Field>
        <ErrorNote error={error} fields={['token']} />
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

function Shell() {
  const s = useStore(session);
  const loc = useLocation();
  const can = may(s.viewer);
  const { state } = useStore(live);
  const switcher = useWorkspaces(can.admin);
  const workspaces = switcher?.list;

  // An instance admin without a chosen workspace starts in the first one.
  useEffect(() => {
    if (can.admin && !s.workspaceId && workspaces?.length) switchWorkspace(workspaces[0].id);
  }, [can.admin, s.workspaceId, workspaces]);

  const nav = [
    can.read && { path: '/', label: 'Overview' },
    can.read && { path: '/webhooks', label: 'Webhooks' },
    can.read && { path: '/event-types', label: 'Event types' },
    can.read && { path: '/events', label: 'Events' },
    can.read && { path: '/live', label: 'Live feed' },
    can.publish && { path: '/publish', label: 'Publish' },
    can.manage && { path: '/tokens', label: 'API tokens' },
    can.admin && { path: '/workspaces', label: 'Workspaces' },
  ].filter(Boolean) as { path: string; label: string }[];

  const wsName = can.admin ? workspaces?.find((w) => w.id === s.workspaceId)?.name : s.viewer?.workspace?.name;
  const attempt = loc.query.get('attempt');

  return (
    <div class="shell" onClick={onLinkClick}>
      <aside class="nav">
        <a class="brand" href={href('/')}>
          hookd
        </a>
        {can.admin ? (
          <label class="switcher">
            <span class="label">Workspace</span>
            <select
              name="workspace"
              value={s.workspaceId ?? ''}
              onChange={(e) => {
                const select = e.target as HTMLSelectElement;
                if (select.value === allWorkspaces) {
                  // Not a workspace: the select stays on the current one.
                  select.value = s.workspaceId ?? '';
                  navigate(href('/workspaces'));
                  return;
                }
                switchWorkspace(select.value);
                navigate(href('/'));
              }}
            >
              {(workspaces ?? []).map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
              {switcher && switcher.total > switcherSize && <option value={allWorkspaces}>All {switcher.total} workspaces…</option>}
            </select>
          </label>
        ) : (
          <p class="workspace-name" title={s.workspaceId ?? ''}>
            {wsName}
          </p>
        )}
        <nav>
          {nav.map((n) => (
            <a key={n.path} href={href(n.path)} class={isCurrent(n.path, loc.path) ? 'current' : ''} aria-current={isCurrent(n.path, loc.path) ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <div class="who">
          <p>
            {s.viewer?.tokenName ?? 'token'}{' '}
            <span class="badge muted" data-role={can.admin ? 'INSTANCE_ADMIN' : s.viewer?.role}>
              {can.admin ? 'instance admin' : s.viewer?.role?.toLowerCase()}
            </span>{' '}
            {s.viewer?.scope && (
              <span class="badge wait" data-scope={s.viewer.scope} title="This token sees only this entity's webhooks, deliveries and events">
                {s.viewer.scope}
              </span>
            )}
          </p>
          <button type="button" class="small" onClick={() => signOut('You signed out.')}>
            Sign out
          </button>
        </div>
      </aside>
      <div class="content">
        {state === 'reconnecting' && (
          <p class="banner warn" role="status" data-live="reconnecting">
            The live connection dropped: reconnecting… Figures will be read again when it is back.
          </p>
        )}
        {s.workspaceId ? <Route path={loc.path} workspaceId={s.workspaceId} /> : <Workspaces />}
        {attempt && <AttemptDialog id={attempt} onClose={() => setQuery({ attempt: null }, false)} />}
      </div>
    </div>
  );
}

function isCurrent(path: string, here: string): boolean {
  return path === '/' ? here === '/' : here === path || here.startsWith(path + '/');
}

type WorkspaceOption = { id: string; name: string };

function useWorkspaces(admin: boolean): { list: WorkspaceOption[]; total: number } | null {
  const [state, setState] = useState<{ list: WorkspaceOption[]; total: number } | null>(null);
  const { workspaceId } = useStore(session);
  const { version } = useStore(workspaces);
  useEffect(() => {
    if (!admin) return;
    let stop = false;
    (async () => {
      const d = await request(WorkspacesQuery, { first: switcherSize });
      const list = d.workspaces.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
      if (workspaceId && !list.some((w) => w.id === workspaceId)) {
        // Without it the list is still offered.
        const c = await request(CurrentWorkspaceQuery, { id: workspaceId }).catch(() => null);
        if (c?.node && 'name' in c.node) list.unshift({ id: c.node.id, name: c.node.name });
      }
      if (!stop) setState({ list, total: d.workspaces.totalCount });
    })().catch(() => !stop && setState({ list: [], total: 0 }));
    return () => {
      stop = true;
    };
  }, [admin, workspaceId, version]);
  return state;
}

function NotAllowed() {
  return (
    <main data-screen="not-allowed" data-ready="true">
      <h1>Not allowed</h1>
      <p>
        This token's role may not do this. <a href={href('/')}>Go to the overview</a>.
      </p>
    </main>
  );
}

function Route(props: { path: string; workspaceId: string }) {
  const { path, workspaceId } = props;
  const can = may(session.get().viewer);
  let m: Record<string, string> | null;
  if (!can.read) return <Publish workspaceId={workspaceId} />;
  if (path === '/') return <Overview key={workspaceId} workspaceId={workspaceId} />;
  if (path === '/webhooks') return <Webhooks workspaceId={workspaceId} />;
  if (path === '/webhooks/new') return can.write ? <WebhookForm workspaceId={workspaceId} /> : <NotAllowed />;
  if ((m = match('/webhooks/:id/edit', path))) return can.write ? <WebhookForm key={m.id} workspaceId={workspaceId} id={m.id} /> : <NotAllowed />;
  if ((m = match('/webhooks/:id/:tab?', path))) return <WebhookDetails key={m.id} id={m.id} tab={m.tab ?? 'general'} workspaceId={workspaceId} />;
  if (path === '/event-types') return <EventTypes workspaceId={workspaceId} />;
  if (path === '/events') return <Events workspaceId={workspaceId} />;
  if ((m = match('/events/:id', path))) return <EventDetails id={m.id} />;
  if (path === '/live') return <LiveFeed workspaceId={workspaceId} />;
  if (path === '/publish') return <Publish workspaceId={workspaceId} />;
  if (path === '/tokens') return <Tokens workspaceId={workspaceId} />;
  if (path === '/workspaces') return <Workspaces />;
  return (
    <main data-screen="not-found" data-ready="true">
      <h1>Not found</h1>
      <p>
        There is no screen at this address. <a href={href('/')}>Go to the overview</a>.
      </p>
    </main>
  );
}
