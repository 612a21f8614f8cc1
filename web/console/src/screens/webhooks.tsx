// The webhooks list: name, URL, events, entity scope, status, last success,
// failures since the last success; search, filters and Relay paging, all kept
// in the address.
import { useEffect, useState } from 'preact/hooks';
import { graphql } from '../gql';
import type { WebhookWhereInput } from '../gql/graphql';
import { useQuery } from '../hooks';
import { href, setQuery, useLocation } from '../router';
import { may, session } from '../session';
import { Badge, Empty, ErrorNote, Pager, Screen, Time } from '../ui';

const WebhooksList = graphql(`
  query WebhooksList($workspaceId: ID!, $first: Int, $after: Cursor, $where: WebhookWhereInput, $failing: Boolean) {
    webhooks(workspaceId: $workspaceId, first: $first, after: $after, where: $where, failing: $failing, orderBy: { field: CREATED_AT, direction: DESC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges {
        node {
          id
          name
          url
          enabled
          events
          entityType
          entityId
          disabledReason
          statistics { lastSuccessAt lastFailureAt failuresSinceLastSuccess }
        }
      }
    }
  }
`);

export const pageSize = 25;

export function Webhooks(props: { workspaceId: string }) {
  const { query } = useLocation();
  const search = query.get('q') ?? '';
  const status = query.get('status') ?? '';
  const after = query.get('after');
  const can = may(session.get().viewer);
  const [typed, setTyped] = useState(search);
  // Back and forward change the address: the box follows it.
  useEffect(() => setTyped(search), [search]);

  const where: WebhookWhereInput = {};
  if (search) where.or = [{ nameContainsFold: search }, { urlContainsFold: search }];
  if (status === 'enabled') where.enabled = true;
  if (status === 'disabled') where.enabled = false;
  const q = useQuery(WebhooksList, {
    workspaceId: props.workspaceId,
    first: pageSize,
    after,
    where,
    failing: status === 'failing' ? true : null,
  });
  const conn = q.data?.webhooks;
  const rows = conn?.edges?.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const filtered = !!(search || status);

  return (
    <Screen
      name="webhooks"
      title="Webhooks"
      ready={!!q.data || !!q.error}
      actions={
        can.write && (
          <a href={href('/webhooks/new')}>
            <button type="button" class="primary">
              Create webhook
            </button>
          </a>
        )
      }
    >
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: typed.trim() || null, after: null });
        }}
      >
        <label>
          Search name or URL
          <input type="search" name="q" value={typed} onInput={(e) => setTyped((e.target as HTMLInputElement).value)} placeholder="e.g. orders" />
        </label>
        <label>
          Status
          <select name="status" value={status} onChange={(e) => setQuery({ status: (e.target as HTMLSelectElement).value || null, after: null })}>
            <option value="">All</option>
            <option value="enabled">Enabled</option>
            <option value="disabled">Disabled</option>
            <option value="failing">Failing</option>
          </select>
        </label>
        <button type="submit">Search</button>
        {filtered && (
          <button
            type="button"
            onClick={() => {
              setTyped('');
              setQuery({ q: null, status: null, after: null });
            }}
          >
            Clear filters
          </button>
        )}
      </form>
      <ErrorNote error={q.error} />
      {conn && rows.length === 0 && (
        <Empty>
          {filtered ? (
            <p>No webhook matches these filters.</p>
          ) : (
            <>
              <p>No webhooks yet.</p>
              <p>{can.write ? 'Create one to start receiving events: give it a URL and the event types it wants.' : 'Ask someone with write access to create one.'}</p>
            </>
          )}
        </Empty>
      )}
      {rows.length > 0 && (
        <table data-list="webhooks">
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>Events</th>
              <th>Entity</th>
              <th>Status</th>
              <th>Last success</th>
              <th>Failures since</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => (
              <tr key={w.id} data-id={w.id}>
                <td>
                  <a href={href(`/webhooks/${w.id}`)}>{w.name}</a>
                </td>
                <td class="url">
                  <code>{w.url}</code>
                </td>
                <td>
                  {w.events.map((e) => (
                    <span class="tag" key={e}>
                      {e}
                    </span>
                  ))}
                </td>
                <td>{w.entityType ? `${w.entityType}:${w.entityId}` : <span class="muted">all</span>}</td>
                <td>
                  {w.enabled ? (
                    <Badge kind="ok">enabled</Badge>
                  ) : (
                    <Badge kind="muted" title={w.disabledReason ?? ''}>
                      disabled
                    </Badge>
                  )}
                </td>
                <td>
                  <Time value={w.statistics.lastSuccessAt} empty="never" />
                </td>
                <td>{w.statistics.failuresSinceLastSuccess > 0 ? <Badge kind="bad">{w.statistics.failuresSinceLastSuccess}</Badge> : <span class="muted">0</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager pageInfo={conn?.pageInfo} total={conn?.totalCount} />
    </Screen>
  );
}
