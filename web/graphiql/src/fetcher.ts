// The GraphiQL fetcher for hookd: queries and mutations are POSTed to the
// GraphQL endpoint, subscriptions run over graphql-ws (graphql-transport-ws
// protocol). Both send the headers from GraphiQL's Headers editor: on HTTP as
// request headers, on websockets as the connection_init payload, which is
// where hookd reads {"Authorization": "Bearer <token>"} from.
import type { ComponentProps } from 'react';
import type { GraphiQL } from 'graphiql';
import { getOperationAST, parse, type DocumentNode, type ExecutionResult } from 'graphql';
import { createClient } from 'graphql-ws';

export type Fetcher = ComponentProps<typeof GraphiQL>['fetcher'];
type Params = Parameters<Fetcher>[0];
export type HeaderMap = Record<string, unknown>;
// Result is the result type GraphiQL's fetcher signature names. Results
// arrive as JSON (formatted errors, not GraphQLError instances), which is all
// GraphiQL needs: it only prints them.
type Result = ExecutionResult;

// createFetcher returns a fetcher for the GraphQL endpoint at path, resolved
// against the page's location. The websocket URL is the same host and path
// with ws: or wss: matching the page's scheme. fallbackHeaders are sent when
// GraphiQL passes no headers of its own (it fetches the schema once before
// its Headers editor exists).
export function createFetcher(path: string, fallbackHeaders: HeaderMap): Fetcher {
  const httpURL = new URL(path, window.location.href);
  const wsURL = new URL(httpURL.href);
  wsURL.protocol = httpURL.protocol === 'https:' ? 'wss:' : 'ws:';
  wsURL.hash = '';

  return (params, opts) => {
    const headers: HeaderMap = opts?.headers ?? fallbackHeaders;
    if (isSubscription(params, opts?.documentAST)) {
      return subscribe(wsURL.href, params, headers);
    }
    return post(httpURL.href, params, headers);
  };
}

// parseHeaders parses the Headers editor's text: a JSON object, or nothing
// (no headers). It returns undefined for anything else.
export function parseHeaders(text: string): HeaderMap | undefined {
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as HeaderMap;
  } catch {
    // Not JSON (yet): the user is still typing.
  }
  return undefined;
}

function isSubscription(params: Params, document?: DocumentNode): boolean {
  try {
    const doc = document ?? parse(params.query);
    return getOperationAST(doc, params.operationName ?? undefined)?.operation === 'subscription';
  } catch {
    // Not a valid document: let the server answer with the syntax error.
    return false;
  }
}

async function post(url: string, params: Params, headers: HeaderMap): Promise<Result> {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/graphql-response+json, application/json',
      'Content-Type': 'application/json',
      ...stringValues(headers),
    },
    body: JSON.stringify(params),
  });
  const text = await res.text();
  try {
    return JSON.parse(text) as Result;
  } catch {
    throw new Error(`HTTP ${res.status} ${res.statusText}: ${text}`);
  }
}

// subscribe runs one subscription on its own websocket connection, so the
// connection_init payload is always the headers the operation was started
// with. The connection is closed when the subscription ends or is stopped.
function subscribe(url: string, params: Params, headers: HeaderMap): AsyncIterableIterator<Result> {
  const client = createClient({
    url,
    connectionParams: headers,
    lazy: true,
    retryAttempts: 0,
  });
  const results = client.iterate({
    query: params.query,
    operationName: params.operationName ?? undefined,
    variables: params.variables ?? undefined,
  });
  const close = () => void client.dispose();

  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const result = await results.next();
        if (result.done) close();
        return result as IteratorResult<Result>;
      } catch (err) {
        close();
        throw socketError(err);
      }
    },
    async return() {
      await results.return?.();
      close();
      return { done: true, value: undefined };
    },
  };
}

// socketError turns the browser events graphql-ws rejects with into errors
// GraphiQL can show; GraphQL errors from the server pass through unchanged.
function socketError(err: unknown): unknown {
  if (err instanceof CloseEvent) {
    return new Error(`WebSocket closed with code ${err.code}${err.reason ? `: ${err.reason}` : ''}`);
  }
  if (err instanceof Event) {
    return new Error('WebSocket connection failed');
  }
  return err;
}

function stringValues(headers: HeaderMap): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, String(value)]));
}
