import { z } from 'zod';
import { publicProcedure, router } from '../trpc';
import { getCatalog } from '../../services/catalog';

export const catalogRouter = router({
  get: publicProcedure
    .input(z.object({ product: z.string().default('redis') }).default({ product: 'redis' }))
    .query(({ ctx, input }) => getCatalog(ctx.db, input.product)),
});
