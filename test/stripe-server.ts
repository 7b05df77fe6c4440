/**
 * A local HTTP server standing in for api.stripe.com, so stripe-node's real requests can be asserted exactly:
 * method, path, form-encoded body and Idempotency-Key. Responses are minimal but shaped like Stripe's.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Recorded = { method: string; path: string; query: Record<string, string>; body: Record<string, string>; idempotencyKey: string | null };

export async function startStripeServer() {
  const requests: Recorded[] = [];
  const state = { subscriptionStatus: 'active' as string, failNext: 0 };
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => resolve(data));
    });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = Object.fromEntries(new URLSearchParams(await read(req)));
    const recorded: Recorded = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
    };
    requests.push(recorded);
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${requests.length}` });
      res.end(JSON.stringify(json));
    };
    if (state.failNext > 0) {
      state.failNext--;
      return send(500, { error: { type: 'api_error', message: 'An unknown error occurred' } });
    }
    const p = url.pathname;
    if (req.method === 'POST' && p === '/v1/customers') return send(200, { id: 'cus_test_1', object: 'customer', name: body.name });
    if (req.method === 'POST' && p === '/v1/checkout/sessions') return send(200, { id: 'cs_test_1', object: 'checkout.session', url: 'https://checkout.stripe.test/c/cs_test_1' });
    if (req.method === 'POST' && p === '/v1/billing_portal/sessions') return send(200, { id: 'bps_1', object: 'billing_portal.session', url: 'https://billing.stripe.test/p/bps_1' });
    if (req.method === 'POST' && p === '/v1/billing/meter_events') return send(200, { object: 'billing.meter_event', event_name: body.event_name, identifier: body.identifier });
    const balance = p.match(/^\/v1\/customers\/([^/]+)\/balance_transactions$/);
    if (req.method === 'POST' && balance) return send(200, { id: `cbtxn_${requests.length}`, object: 'customer_balance_transaction', customer: balance[1], amount: Number(body.amount) });
    const sub = p.match(/^\/v1\/subscriptions\/([^/]+)$/);
    if (req.method === 'DELETE' && sub) {
      state.subscriptionStatus = 'canceled';
      return send(200, { id: sub[1], object: 'subscription', status: 'canceled' });
    }
    if (req.method === 'GET' && p === '/v1/subscriptions') {
      return send(200, { object: 'list', url: '/v1/subscriptions', has_more: false, data: state.subscriptionStatus === 'none' ? [] : [{ id: 'sub_test_1', object: 'subscription', status: state.subscriptionStatus, customer: url.searchParams.get('customer') }] });
    }
    send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${p})` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}
