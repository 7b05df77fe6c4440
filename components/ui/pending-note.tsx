'use client';

import { useSyncExternalStore } from 'react';

const subscribe = (cb: () => void) => {
  window.addEventListener('online', cb);
  window.addEventListener('offline', cb);
  return () => {
    window.removeEventListener('online', cb);
    window.removeEventListener('offline', cb);
  };
};

/** Whether the browser says it is online; on the server, assume so. */
export function useOnline() {
  return useSyncExternalStore(subscribe, () => navigator.onLine, () => true);
}

/**
 * Under a pending action: says so when the browser is offline (TanStack Query pauses mutations until the network
 * is back and then sends them), instead of a button that spins for no visible reason.
 */
export function PendingNote({ pending }: { pending: boolean }) {
  const online = useOnline();
  if (!pending || online) return null;
  return (
    <p role="status" className="text-sm text-amber-800" data-testid="waiting-for-network">
      Waiting for the network: you are offline. This will be sent when the connection is back.
    </p>
  );
}
