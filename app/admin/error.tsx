'use client';

import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';

/** A failed read in the internal console: say so, keep the chrome, and offer the obvious next step. */
export default function AdminError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
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
