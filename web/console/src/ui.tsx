// The console's building blocks: screens, fields with their errors, error
// notes with codes, JSON and body viewers (always text, never HTML), paging,
// dialogs.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { RequestError } from './api';
import { href, setQuery } from './router';

// Screen is every screen's root: data-screen names it and data-ready says its
// data has loaded (what tests and the first-load measurement wait for).
export function Screen(props: { name: string; title: ComponentChildren; ready: boolean; actions?: ComponentChildren; children: ComponentChildren; sub?: ComponentChildren }) {
  useEffect(() => {
    document.title = (typeof props.title === 'string' ? props.title + ' · ' : '') + 'hookd';
  }, [props.title]);
  // performance.mark('ready:<screen>') the first time its data is shown:
  // the browser tests read the console's load times from these marks.
  const marked = useRef(false);
  useLayoutEffect(() => {
    if (props.ready && !marked.current) {
      marked.current = true;
      performance.mark('ready:' + props.name);
    }
  }, [props.ready, props.name]);
  return (
    <main data-screen={props.name} data-ready={props.ready ? 'true' : 'false'} aria-busy={!props.ready}>
      <header class="screen-head">
        <div>
          <h1>{props.title}</h1>
          {props.sub && <p class="sub">{props.sub}</p>}
        </div>
        {props.actions && <div class="actions">{props.actions}</div>}
      </header>
      {props.children}
    </main>
  );
}

// ErrorNote shows errors with their codes. fields names the form fields that
// show their own errors: those are left out here.
export function ErrorNote(props: { error: RequestError | Error | null; fields?: string[] }) {
  if (!props.error) return null;
  const errors =
    props.error instanceof RequestError
      ? props.fields
        ? props.error.unplaced(props.fields)
        : props.error.errors
      : [{ message: props.error.message, code: 'ERROR', field: null }];
  if (!errors.length) return null;
  return (
    <div class="error-note" role="alert">
      {errors.map((e, i) => (
        <p key={i}>
          <code class="code">{e.code}</code> {e.message}
          {e.field && <span class="muted"> (field {e.field})</span>}
        </p>
      ))}
    </div>
  );
}

// Field is a labelled input with its error (extensions.field) under it.
// group is for several inputs (checkboxes, a list of headers): they are
// labelled as a group instead of wrapped in one label.
export function Field(props: { label: string; name: string; error?: RequestError | null; hint?: ComponentChildren; children: ComponentChildren; wide?: boolean; group?: boolean }) {
  const message = props.error?.forField(props.name) ?? null;
  return (
    <div class={'field' + (message ? ' invalid' : '') + (props.wide ? ' wide' : '')} data-field={props.name}>
      {props.group ? (
        <div class="group" role="group" aria-label={props.label}>
          <span class="label">{props.label}</span>
          {props.children}
        </div>
      ) : (
        <label>
          <span class="label">{props.label}</span>
          {props.children}
        </label>
      )}
      {props.hint && !message && <p class="hint">{props.hint}</p>}
      {message && (
        <p class="field-error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <div class="empty">{props.children}</div>;
}

export function Loading() {
  return <p class="muted loading">Loading…</p>;
}

export function Copy(props: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="small"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(props.text);
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        } catch {
          setDone(false);
        }
      }}
    >
      {done ? 'Copied' : (props.label ?? 'Copy')}
    </button>
  );
}

// pretty turns JSON text or a value into indented JSON; other text is kept.
export function pretty(value: unknown): { text: string; json: boolean } {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        return { text: JSON.stringify(JSON.parse(t), null, 2), json: true };
      } catch {
        return { text: value, json: false };
      }
    }
    return { text: value, json: false };
  }
  if (value === undefined) return { text: '', json: false };
  return { text: JSON.stringify(value, null, 2), json: true };
}

// TextView shows a payload or a body: pretty-printed when it is JSON,
// collapsed past a few lines, copyable, and always as text (a receiver's
// response is hostile input: it is never interpreted as HTML).
export function TextView(props: { value: unknown; label?: string; lines?: number; empty?: string }) {
  const { text } = pretty(props.value);
  const lines = text.split('\n');
  const limit = props.lines ?? 12;
  const [open, setOpen] = useState(false);
  if (!text) return <p class="muted">{props.empty ?? '(empty)'}</p>;
  const long = lines.length > limit || text.length > 4000;
  const shown = open || !long ? text : lines.slice(0, limit).join('\n').slice(0, 4000);
  return (
    <div class="textview">
      <div class="textview-bar">
        {props.label && <span class="label">{props.label}</span>}
        <span class="muted">{text.length.toLocaleString()} characters</span>
        <Copy text={text} />
        {long && (
          <button type="button" class="small" onClick={() => setOpen(!open)}>
            {open ? 'Collapse' : `Show all ${lines.length.toLocaleString()} lines`}
          </button>
        )}
      </div>
      <pre>{shown}</pre>
    </div>
  );
}

export function Time(props: { value: string | null | undefined; empty?: string }) {
  if (!props.value) return <span class="muted">{props.empty ?? '—'}</span>;
  const d = new Date(props.value);
  return (
    <time dateTime={props.value} title={d.toISOString()}>
      {relative(d)}
    </time>
  );
}

export function relative(d: Date): string {
  const s = Math.round((Date.now() - d.getTime()) / 1000);
  const abs = Math.abs(s);
  const fmt = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  let t: string;
  if (abs < 5) return 'just now';
  if (abs < 60) t = fmt(abs, 'second');
  else if (abs < 3600) t = fmt(Math.round(abs / 60), 'minute');
  else if (abs < 86400) t = fmt(Math.round(abs / 3600), 'hour');
  else return d.toLocaleString();
  return s >= 0 ? t + ' ago' : 'in ' + t;
}

export function Badge(props: { kind: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={'badge ' + props.kind} title={props.title}>
      {props.children}
    </span>
  );
}

const statusKinds: Record<string, string> = { SUCCEEDED: 'ok', FAILED: 'bad', PENDING: 'wait', CANCELLED: 'muted', RUNNING: 'wait', COMPLETED: 'ok' };

export function Status(props: { status: string }) {
  return <Badge kind={statusKinds[props.status] ?? 'muted'}>{props.status.toLowerCase()}</Badge>;
}

export function Outcome(props: { success: boolean; status?: number | null; errorKind?: string | null }) {
  return (
    <Badge kind={props.success ? 'ok' : 'bad'}>
      {props.status ? props.status : props.success ? 'ok' : (props.errorKind ?? 'failed').toLowerCase()}
    </Badge>
  );
}

// AttemptLink opens an attempt's full request and response over the current
// screen (?attempt=…, so it survives a reload and can be shared).
export function AttemptLink(props: { id: string; children?: ComponentChildren }) {
  return (
    <a
      href={href(location.pathname.replace(/^\/console/, ''), { ...Object.fromEntries(new URLSearchParams(location.search)), attempt: props.id })}
      class="attempt-link"
      onClick={(e) => {
        e.preventDefault();
        setQuery({ attempt: props.id }, false);
      }}
    >
      {props.children ?? 'View request and response'}
    </a>
  );
}

export type PageInfo = { hasNextPage: boolean; hasPreviousPage: boolean; startCursor?: string | null; endCursor?: string | null };

// Pager moves through a Relay connection with cursors kept in the address.
export function Pager(props: { pageInfo: PageInfo | null | undefined; total?: number | null; param?: string }) {
  const p = props.pageInfo;
  if (!p || (!p.hasNextPage && !p.hasPreviousPage && !new URLSearchParams(location.search).get(props.param ?? 'after'))) return null;
  const param = props.param ?? 'after';
  const current = new URLSearchParams(location.search).get(param);
  return (
    <nav class="pager" aria-label="pages">
      <button type="button" disabled={!current} onClick={() => setQuery({ [param]: null, before: null })}>
        First page
      </button>
      <button type="button" disabled={!p.hasNextPage} onClick={() => setQuery({ [param]: p.endCursor ?? null })}>
        Next page
      </button>
      {props.total != null && <span class="muted">{props.total.toLocaleString()} in all</span>}
    </nav>
  );
}

export function Modal(props: { title: ComponentChildren; onClose: () => void; children: ComponentChildren; name?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog ref={ref} class="modal" data-dialog={props.name} onClose={props.onClose} onCancel={props.onClose}>
      <header>
        <h2>{props.title}</h2>
        <button type="button" class="small" aria-label="Close" onClick={props.onClose}>
          Close
        </button>
      </header>
      <div class="modal-body">{props.children}</div>
    </dialog>
  );
}

export function Tabs(props: { tabs: { id: string; label: string }[]; current: string; onSelect: (id: string) => void }) {
  return (
    <nav class="tabs" role="tablist">
      {props.tabs.map((t) => (
        <button type="button" role="tab" key={t.id} aria-selected={t.id === props.current} class={t.id === props.current ? 'current' : ''} onClick={() => props.onSelect(t.id)}>
          {t.label}
        </button>
      ))}
    </nav>
  );
}

// JSONInput is a textarea for JSON that keeps what was typed and says, as it
// is typed, whether it parses.
export function JSONInput(props: { value: string; onInput: (text: string) => void; rows?: number; name: string; placeholder?: string; readOnly?: boolean }) {
  let problem: string | null = null;
  if (props.value.trim()) {
    try {
      JSON.parse(props.value);
    } catch (e) {
      problem = (e as Error).message;
    }
  }
  return (
    <>
      <textarea
        name={props.name}
        class="code-input"
        rows={props.rows ?? 8}
        spellcheck={false}
        value={props.value}
        placeholder={props.placeholder}
        readOnly={props.readOnly}
        onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)}
      />
      {problem && <p class="hint warn">Not valid JSON yet: {problem}</p>}
    </>
  );
}

// parseJSON reads an optional JSON field: empty is null.
export function parseJSON(text: string, field: string): { value: unknown; error: RequestError | null } {
  if (!text.trim()) return { value: null, error: null };
  try {
    return { value: JSON.parse(text), error: null };
  } catch (e) {
    return { value: null, error: new RequestError([{ message: `not valid JSON: ${(e as Error).message}`, code: 'BAD_USER_INPUT', field }]) };
  }
}

export function onEnter(fn: () => void) {
  return (e: JSX.TargetedKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') fn();
  };
}
