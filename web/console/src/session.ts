// The signed-in session: the API token (sessionStorage only: no cookie, no
// server-side session), who it belongs to, and the workspace being looked at.
import { Store } from './store';

const tokenKey = 'hookd.token';
const workspaceKey = 'hookd.workspace';

export type Role = 'ADMIN' | 'WRITE' | 'READ' | 'PUBLISH';

export type Viewer = {
  admin: boolean;
  role: Role | null;
  tokenName: string | null;
  // entityType:entityId of a token scoped to one entity.
  scope: string | null;
  expiresAt: string | null;
  workspace: { id: string; name: string } | null;
};

export type Session = {
  token: string | null;
  viewer: Viewer | null;
  // The workspace the screens show: the token's own, or the one an instance
  // admin switched to.
  workspaceId: string | null;
  // Why the last session ended, shown on the sign-in screen.
  signedOutBecause: string | null;
};

export const session = new Store<Session>({
  token: sessionStorage.getItem(tokenKey),
  viewer: null,
  workspaceId: sessionStorage.getItem(workspaceKey),
  signedOutBecause: null,
});

// takeFragmentToken moves a token handed over as /console/#token=… (the link
// `make run` prints) into sessionStorage and clears it from the address bar,
// so it is not kept in the tab's back and forward list nor left on screen. The
// browser's own history still holds the link it was opened with: treat the
// printed link like the token it carries.
export function takeFragmentToken(): void {
  const match = /^#token=([^&]+)/.exec(location.hash);
  if (!match) return;
  history.replaceState(history.state, '', location.pathname + location.search);
  try {
    signIn(decodeURIComponent(match[1]));
  } catch {
    // A malformed link: the sign-in screen asks for the token.
  }
}

export function signIn(token: string): void {
  sessionStorage.setItem(tokenKey, token);
  session.set({ token, viewer: null, signedOutBecause: null });
}

export function signOut(because: string | null = null): void {
  sessionStorage.removeItem(tokenKey);
  sessionStorage.removeItem(workspaceKey);
  session.set({ token: null, viewer: null, workspaceId: null, signedOutBecause: because });
}

export function setViewer(viewer: Viewer): void {
  let workspaceId = session.get().workspaceId;
  if (!viewer.admin) workspaceId = viewer.workspace?.id ?? null;
  session.set({ viewer, workspaceId });
}

export function switchWorkspace(id: string): void {
  sessionStorage.setItem(workspaceKey, id);
  session.set({ workspaceId: id });
}

// What the token may do. Screens offer only what it may.
export function may(viewer: Viewer | null) {
  const role = viewer?.role;
  const admin = !!viewer?.admin;
  return {
    admin,
    manage: admin || role === 'ADMIN', // tokens, reading secrets
    write: admin || role === 'ADMIN' || role === 'WRITE', // webhooks, event types, retries
    read: admin || (role !== 'PUBLISH' && role != null),
    // The event catalog is the workspace's: a token scoped to one entity
    // reads it but may not change it.
    catalog: admin || ((role === 'ADMIN' || role === 'WRITE') && !viewer?.scope),
    scoped: !!viewer?.scope,
    publish: admin || role === 'ADMIN' || role === 'WRITE' || role === 'PUBLISH',
  };
}

// workspaces counts changes to the list of workspaces (one was created), so
// that the instance admin's switcher reads it again.
export const workspaces = new Store<{ version: number }>({ version: 0 });

export function workspacesChanged(): void {
  workspaces.set({ version: workspaces.get().version + 1 });
}
