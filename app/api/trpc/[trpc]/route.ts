import { handleTrpcRequest } from '~/server/api/http';
import { appRouter } from '~/server/api/root';
import { createContext } from '~/server/api/trpc';
import { instrumentTrpc } from '~/server/observability/http';

// Request id, per-procedure duration histogram and a log line per request (server/observability/http.ts); the
// batch and body limits and no-store (server/api/http.ts).
const procedures = new Set(Object.keys(appRouter._def.procedures));
const handler = instrumentTrpc('/api/trpc', procedures, (req: Request) => handleTrpcRequest(req, () => createContext(req.headers)));

export { handler as GET, handler as POST };
