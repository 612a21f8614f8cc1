// The GraphiQL page served by hookd at / (and /graphql for browsers). The Go
// handler renders <div id="graphiql" data-endpoint="/graphql"> and loads this
// bundle; everything the page needs is in the bundle, nothing is fetched from
// another host.
import { StrictMode, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import './page.css';
import { createFetcher, parseHeaders, type HeaderMap } from './fetcher';

const DEFAULT_HEADERS = '{"Authorization": "Bearer <paste token>"}';

const DEFAULT_QUERY = `# Welcome to hookd.
#
# Requests carry an API token: in the Headers
# tab below, replace <paste token> with yours.
# Subscriptions send the same headers in the
# websocket's connection_init payload.

query {
  viewer { admin role workspace { id name } }
}
`;

// How long the Headers editor must be left alone before the schema is
// fetched again with its new contents.
const HEADERS_SETTLE_MS = 500;

// savedHeaders returns the Headers editor contents of the tab GraphiQL will
// reopen, or undefined on a first visit. With shouldPersistHeaders on,
// GraphiQL saves each tab's headers in its tab state in localStorage. They are
// handed back to GraphiQL as its headers prop: it matches the tab to reopen by
// query, variables and headers, and its separate saved copy of the headers
// does not survive a reload, so without this it would open a new tab with the
// default headers instead of the one holding the pasted token.
function savedHeaders(): string | undefined {
  try {
    const saved = JSON.parse(window.localStorage.getItem('graphiql:tabState') ?? 'null');
    const headers: unknown = saved?.tabs?.[saved.activeTabIndex]?.headers;
    if (typeof headers === 'string') return headers;
  } catch {
    // Storage unavailable or not GraphiQL's format: GraphiQL starts afresh too.
  }
  return undefined;
}

// takeFragmentToken returns the token handed over in the page's fragment, as
// in the link `make run` prints (http://localhost:8080/#token=hookd_…), or
// undefined. It removes the token from the fragment with
// history.replaceState, so it neither stays in the address bar nor is kept
// in the history.
function takeFragmentToken(): string | undefined {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('token');
  if (token === null) return undefined;
  params.delete('token');
  const rest = params.toString();
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', pathname + search + (rest ? `#${rest}` : ''));
  return token || undefined;
}

// bearerHeaders is the Headers editor's text that sends token.
function bearerHeaders(token: string): string {
  return `{"Authorization": ${JSON.stringify(`Bearer ${token}`)}}`;
}

// initialHeaders is what the Headers editor opens with: a token from the
// fragment, else the saved headers of the tab GraphiQL reopens, else
// undefined (GraphiQL's defaultHeaders). It is read once, before rendering.
const fragmentToken = takeFragmentToken();
const initialHeaders = fragmentToken ? bearerHeaders(fragmentToken) : savedHeaders();

function App({ endpoint }: { endpoint: string }) {
  // headers follows the Headers editor's last valid contents. GraphiQL sends
  // the editor's headers with each operation itself, but fetches the schema
  // once before the editor exists; the fetcher falls back to these then. A
  // new fetcher also makes GraphiQL fetch the schema again, so pasting a token
  // loads the schema (docs, completion) with it.
  const [saved] = useState(initialHeaders);
  const [headers, setHeaders] = useState<HeaderMap>(() => parseHeaders(saved ?? DEFAULT_HEADERS) ?? {});
  const fetcher = useMemo(() => createFetcher(endpoint, headers), [endpoint, headers]);

  const settle = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(settle.current), []);
  const onEditHeaders = (text: string) => {
    window.clearTimeout(settle.current);
    settle.current = window.setTimeout(() => {
      const next = parseHeaders(text);
      if (next) {
        setHeaders((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next));
      }
    }, HEADERS_SETTLE_MS);
  };

  return (
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      defaultHeaders={DEFAULT_HEADERS}
      headers={saved}
      shouldPersistHeaders
      isHeadersEditorEnabled
      defaultEditorToolsVisibility="headers"
      onEditHeaders={onEditHeaders}
    />
  );
}

const container = document.getElementById('graphiql');
if (!container) {
  throw new Error('hookd GraphiQL: missing #graphiql element');
}

createRoot(container).render(
  <StrictMode>
    <App endpoint={container.dataset.endpoint || '/graphql'} />
  </StrictMode>,
);
