// The console's only way to the server: the public GraphQL API, over HTTP for
// queries and mutations and over graphql-ws for subscriptions, with the
// session's token as a Bearer header (connection_init payload on the
// websocket).
import { createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from './gql/graphql';
import { session, signOut } from './session';
import { Store } from './store';

export const endpoint = '/graphql';

export type GraphQLError = {
  message: string;
  code: string;
  field: string | null;
};

// RequestError carries every error of a response, with its code and, for
// BAD_USER_INPUT, the input field it is about.
export class RequestError extends Error {
  readonly errors: GraphQLError[];

  constructor(errors: GraphQLError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
  }

  get code(): string {
    return this.errors[0]?.code ?? 'INTERNAL';
  }

  // forField returns the message of the error about an input field: the
  // field named exactly (with or without the argument's name, input.url or
  // url), or one inside it (input.headers.0.name is shown at headers).
  forField(field: string): string | null {
    const e = this.errors.find((e) => e.field != null && covers(field, e.field));
    return e ? e.message : null;
  }

  // unplaced returns the errors no field of the form shows.
  unplaced(fields: string[]): GraphQLError[] {
    return this.errors.filter((e) => !e.field || !fields.some((f) => covers(f, e.field!)));
  }
}

function covers(field: string, errorField: string): boolean {
  for (const f of [field, 'input.' + field]) {
    if (errorField === f || errorField.startsWith(f + '.')) return true;
  }
  return false;
}

type RawError = { message?: string; extensions?: { code?: string; field?: string } };

function toErrors(raw: RawError[]): GraphQLError[] {
  return raw.map((e) => ({
    message: e.message ?? 'unknown error',
    code: e.extensions?.code ?? 'INTERNAL',
    field: e.extensions?.field ?? null,
  }));
}

// A token that is revoked or expires mid-session ends the session with the
// server's reason: the session of that token, not one signed in since.
function checkAuth(errors: GraphQLError[], token: string | null): void {
  const e = errors.find((e) => e.code === 'UNAUTHENTICATED');
  if (e && token && session.get().token === token) signOut(`You were signed out: ${e.message}.`);
}

// request runs a query or mutation with the session's token, or with token
// (signing in checks a token before it becomes the session's).
export async function request<R, V>(doc: TypedDocumentString<R, V>, variables?: V, token: string | null = session.get().token): Promise<R> {
  const own = token === session.get().token;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new RequestError([{ message: 'hookd cannot be reached: check the server is running, then try again', code: 'NETWORK', field: null }]);
  }
  let body: { data?: R; errors?: RawError[] };
  try {
    body = await response.json();
  } catch {
    throw new RequestError([{ message: `hookd answered HTTP ${response.status} without a GraphQL response`, code: 'INTERNAL', field: null }]);
  }
  if (body.errors?.length) {
    const errors = toErrors(body.errors);
    if (own) checkAuth(errors, token);
    throw new RequestError(errors);
  }
  if (!body.data) throw new RequestError([{ message: 'hookd answered without data', code: 'INTERNAL', field: null }]);
  return body.data;
}

// The websocket's state, shown in the header: a dropped connection says so,
// and when it is back every live view re-reads what it may have missed
// (generation counts the reconnections).
export const live = new Store<{ state: 'idle' | 'connected' | 'reconnecting'; generation: number; droppedAt: number | null; backAt: number | null }>({
  state: 'idle',
  generation: 0,
  droppedAt: null,
  backAt: null,
});

let client: Client | null = null;
let clientToken: string | null = null;

// dispose closes a client's socket. Its promise rejects when the socket was
// still connecting and the server closed it (a refused token): there is then
// nothing left to close, and the close itself is reported by on.closed.
function dispose(c: Client): void {
  Promise.resolve(c.dispose()).catch(() => {});
}

function wsClient(): Client {
  const token = session.get().token;
  if (client && clientToken === token) return client;
  if (client) dispose(client);
  clientToken = token;
  const url = new URL(endpoint, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  client = createClient({
    url: url.toString(),
    connectionParams: () => ({ Authorization: `Bearer ${session.get().token ?? ''}` }),
    lazy: true,
    // Moving between screens ends one screen's subscriptions just before the
    // next one's start: keep the socket meanwhile.
    lazyCloseTimeout: 3000,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // 4403: the server refused the token (revoked or expired): no retry.
    shouldRetry: (event) => session.get().token != null && (event as CloseEvent | undefined)?.code !== 4403,
    retryWait: async (retries) => {
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 5000) * (0.75 + Math.random() / 2)));
    },
    on: {
      connected: (_socket, _payload, wasRetry) => {
        const { generation, state } = live.get();
        const back = wasRetry || state === 'reconnecting';
        live.set({ state: 'connected', generation: back ? generation + 1 : generation, backAt: back ? Date.now() : live.get().backAt });
      },
      closed: (event) => {
        // 1000 is the client's own close once no screen listens (lazy):
        // nothing was missed. Anything else dropped the connection.
        const code = (event as CloseEvent | undefined)?.code;
        if (code === 4403 && session.get().token === clientToken) {
          signOut('You were signed out: hookd refused your API token (it was revoked or has expired).');
          return;
        }
        if (code === 1000) {
          if (live.get().state === 'connected') live.set({ state: 'idle' });
          return;
        }
        if (session.get().token && live.get().state !== 'reconnecting') live.set({ state: 'reconnecting', droppedAt: Date.now() });
      },
    },
  });
  return client;
}

session.subscribe(() => {
  if (!session.get().token && client) {
    dispose(client);
    client = null;
    clientToken = null;
    live.set({ state: 'idle' });
  }
});

// markGap says the live views missed what happened since a moment (a
// subscription the server dropped): they read it again, as after a
// reconnection.
export function markGap(since: number): void {
  live.set({ generation: live.get().generation + 1, droppedAt: since, backAt: Date.now() });
}

// subscribe starts a subscription and returns its end. Errors of the stream
// (a dropped subscriber, NOT_FOUND, a revoked token) go to onError.
export function subscribe<R, V>(
  doc: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  onError: (error: RequestError) => void,
): () => void {
  return wsClient().subscribe<R>(
    { query: doc.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) {
          const errors = toErrors(result.errors as RawError[]);
          checkAuth(errors, clientToken);
          onError(new RequestError(errors));
          return;
        }
        if (result.data) onData(result.data);
      },
      error: (err) => {
        const raw = Array.isArray(err) ? (err as RawError[]) : [{ message: err instanceof Error ? err.message : 'the live connection failed' }];
        const errors = toErrors(raw);
        checkAuth(errors, clientToken);
        onError(new RequestError(errors));
      },
      complete: () => {},
    },
  );
}
