'use client';

/** What a console page shows while its server component loads, or when it failed: shared by /console and /admin. */
import { Button } from './button';
import { Card } from './card';
import { errorMessage } from '~/lib/errors';

export function PageLoading() {
  return (
    <Card className="p-6 text-sm text-slate-500">
      <span className="inline-flex items-center gap-2">
        <span className="size-3.5 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" aria-hidden />
        Loading…
      </span>
    </Card>
  );
}

/** A failed read: say so, keep the chrome, and offer the obvious next step. */
export function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <Card className="p-6 text-sm">
      <h1 className="text-base font-semibold text-slate-900">This page could not be loaded</h1>
      <p className="mt-1 text-slate-600">
        The server refused or failed the request. Try again; if it keeps happening, check the server log
        {error.digest ? (
          <>
            {' '}
            for reference <code className="font-mono">{error.digest}</code>
          </>
        ) : null}
        .
      </p>
      <Button className="mt-4" variant="secondary" onClick={reset}>
        Try again
      </Button>
    </Card>
  );
}

/**
 * A query that failed, in place of what it would have shown: the reason in plain words (`errorMessage` turns
 * transport failures into them) and a retry. `compact` fits inside a section instead of a card.
 */
export function QueryError({ error, retry, compact = false }: { error: unknown; retry: () => unknown; compact?: boolean }) {
  const body = (
    <div role="alert" className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-red-700">{errorMessage(error)}</p>
      <Button variant="secondary" onClick={() => void retry()}>
        Try again
      </Button>
    </div>
  );
  return compact ? <div className="px-6 py-4">{body}</div> : <Card className="p-6">{body}</Card>;
}
