// An attempt's full request and response, over whatever screen opened it.
// Everything a receiver sent back is hostile input: headers and body are
// shown as text only.
import { graphql } from '../gql';
import { useMutation, useQuery } from '../hooks';
import { href } from '../router';
import { may, session } from '../session';
import { ErrorNote, Loading, Modal, Outcome, Status, TextView, Time } from '../ui';

const AttemptQuery = graphql(`
  query AttemptDetails($id: ID!) {
    node(id: $id) {
      ... on DeliveryAttempt {
        id
        number
        trigger
        startedAt
        durationMs
        success
        requestUrl
        requestMethod
        requestHeaders { name value }
        requestBody
        responseStatus
        responseHeaders { name value }
        responseBody
        error
        errorKind
        webhook { id name }
        delivery { id status attemptCount event { id type } }
      }
    }
  }
`);

const RetryAttemptDelivery = graphql(`
  mutation AttemptRetry($id: ID!) {
    retryDelivery(id: $id) { id status attemptCount }
  }
`);

export function AttemptDialog(props: { id: string; onClose: () => void }) {
  const q = useQuery(AttemptQuery, { id: props.id });
  const retry = useMutation(RetryAttemptDelivery);
  const a = q.data?.node && 'requestUrl' in q.data.node ? q.data.node : null;
  const can = may(session.get().viewer);
  return (
    <Modal title={a ? `Attempt ${a.number} · ${a.trigger.toLowerCase()}` : 'Attempt'} onClose={props.onClose} name="attempt">
      <ErrorNote error={q.error} />
      {!a && !q.error && (q.loading ? <Loading /> : <p>This attempt does not exist (any more): attempts are purged after the retention period.</p>)}
      {a && (
        <div data-attempt={a.id} data-ready="true">
          <dl class="props">
            <dt>Outcome</dt>
            <dd>
              <Outcome success={a.success} status={a.responseStatus} errorKind={a.errorKind} /> {a.error && <span class="attempt-error">{a.error}</span>}
            </dd>
            <dt>Started</dt>
            <dd>
              <Time value={a.startedAt} /> · {a.durationMs} ms
            </dd>
            {a.webhook && (
              <>
                <dt>Webhook</dt>
                <dd>
                  <a href={href(`/webhooks/${a.webhook.id}`)}>{a.webhook.name}</a>
                </dd>
              </>
            )}
            {a.delivery && (
              <>
                <dt>Delivery</dt>
                <dd>
                  <Status status={a.delivery.status} /> {a.delivery.attemptCount} attempt{a.delivery.attemptCount === 1 ? '' : 's'} · event{' '}
                  <a href={href(`/events/${a.delivery.event.id}`)}>{a.delivery.event.type}</a>{' '}
                  {can.write && (
                    <button type="button" class="small" disabled={retry.busy} onClick={() => retry.run({ id: a.delivery!.id }).then((r) => r && q.reload())}>
                      Retry delivery
                    </button>
                  )}
                </dd>
              </>
            )}
          </dl>
          <ErrorNote error={retry.error} />
          <div class="two">
            <section data-part="request">
              <h3>Request</h3>
              <p>
                <code>
                  {a.requestMethod} {a.requestUrl}
                </code>
              </p>
              <Headers headers={a.requestHeaders} />
              <TextView value={a.requestBody} label="Body" />
            </section>
            <section data-part="response">
              <h3>Response</h3>
              {a.responseStatus == null ? (
                <p class="muted">No response was received{a.errorKind ? ` (${a.errorKind.toLowerCase()})` : ''}.</p>
              ) : (
                <>
                  <p>
                    <code>HTTP {a.responseStatus}</code>
                  </p>
                  <Headers headers={a.responseHeaders ?? []} />
                  <TextView value={a.responseBody ?? ''} label="Body (first 64 KiB)" empty="(empty body)" />
                </>
              )}
            </section>
          </div>
        </div>
      )}
    </Modal>
  );
}

export function Headers(props: { headers: { name: string; value: string }[] }) {
  if (!props.headers.length) return <p class="muted">No headers.</p>;
  return (
    <div class="headers">
      {props.headers.map((h, i) => (
        <div key={i}>
          <b>{h.name}</b>: {h.value}
        </div>
      ))}
    </div>
  );
}
