'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/components/providers';
import { useToast } from '~/components/ui/toast';

/** Open/close state for an action dialog, and what to do once the action succeeded: close, say so, refresh. */
export function useTenantAction() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  return {
    open,
    show: () => setOpen(true),
    hide: () => setOpen(false),
    done: (message: string) => {
      setOpen(false);
      toast('success', message);
      return queryClient.invalidateQueries({ queryKey: trpc.staff.pathKey() });
    },
  };
}
