// Data hooks: a query that loads, reloads and re-reads after a dropped live
// connection comes back; a subscription that follows the component's life.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { live, markGap, request, RequestError, subscribe } from './api';
import type { TypedDocumentString } from './gql/graphql';
import { useStore } from './store';

export type QueryState<R> = {
  data: R | null;
  error: RequestError | null;
  loading: boolean;
  reload: () => void;
  setData: (update: (data: R) => R) => void;
};

// useQuery runs doc with variables whenever they change (compared as JSON),
// and again after the live connection was re-established when refresh is
// set (so figures missed while it was down are read again).
// Data read with other variables is not shown as if it were current, unless
// keep is set (a chart reading a moving time range keeps its last picture
// until the next one arrives).
export function useQuery<R, V>(doc: TypedDocumentString<R, V>, variables: V, opts: { skip?: boolean; refresh?: boolean; keep?: boolean } = {}): QueryState<R> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<{ data: R | null; error: RequestError | null; loading: boolean; key: string }>({
    data: null,
    error: null,
    loading: !opts.skip,
    key: '',
  });
  const [tick, setTick] = useState(0);
  const { generation } = useStore(live);
  const refreshOn = opts.refresh ? generation : 0;
  const seq = useRef(0);

  useEffect(() => {
    if (opts.skip) return;
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    request(doc, variables).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false, key }),
      (error: RequestError) => mine === seq.current && setState((s) => ({ ...s, error, loading: false })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick, refreshOn, opts.skip]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((update: (data: R) => R) => setState((s) => (s.data ? { ...s, data: update(s.data) } : s)), []);
  return { data: state.key === key || opts.keep ? state.data : null, error: state.error, loading: state.loading, reload, setData };
}

// useSubscription follows doc while the component is shown and variables stay
// the same.
export function useSubscription<R, V>(
  doc: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  opts: { skip?: boolean; onError?: (e: RequestError) => void } = {},
): void {
  const key = JSON.stringify(variables);
  const handler = useRef(onData);
  handler.current = onData;
  const errorHandler = useRef(opts.onError);
  errorHandler.current = opts.onError;
  // A subscriber that fell too far behind is dropped by the server
  // (SUBSCRIPTION_DROPPED): subscribe again, and have what was missed read
  // again as after a reconnection.
  const [again, setAgain] = useState(0);
  const lastAt = useRef(Date.now());
  useEffect(() => {
    if (opts.skip) return;
    lastAt.current = Date.now();
    return subscribe(
      doc,
      variables,
      (d) => {
        lastAt.current = Date.now();
        handler.current(d);
      },
      (e) => {
        if (e.code === 'SUBSCRIPTION_DROPPED') {
          markGap(lastAt.current);
          setAgain((n) => n + 1);
          return;
        }
        errorHandler.current?.(e);
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, opts.skip, again]);
}

// useMutation runs a mutation on demand, keeping its error for the form.
export function useMutation<R, V>(doc: TypedDocumentString<R, V>) {
  const [state, setState] = useState<{ busy: boolean; error: RequestError | null }>({ busy: false, error: null });
  const run = useCallback(
    async (variables: V): Promise<R | null> => {
      setState({ busy: true, error: null });
      try {
        const data = await request(doc, variables);
        setState({ busy: false, error: null });
        return data;
      } catch (e) {
        setState({ busy: false, error: e as RequestError });
        return null;
      }
    },
    [doc],
  );
  const clear = useCallback(() => setState({ busy: false, error: null }), []);
  return { ...state, run, clear };
}
