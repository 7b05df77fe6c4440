import { z } from 'zod';
import { safeString } from '~/lib/safe-string';
import { publicProcedure, router } from '../trpc';
import { getCatalog } from '../../services/catalog';

export const catalogRouter = router({
  get: publicProcedure
    .input(z.object({ product: safeString().default('redis') }).default({ product: 'redis' }))
    .query(({ ctx, input }) => getCatalog(ctx.db, input.product)),
});
