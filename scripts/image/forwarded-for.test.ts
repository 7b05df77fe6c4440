/**
 * The server records the connection's real address in X-Forwarded-For (scripts/image/forwarded-for.mjs), so a
 * client cannot choose the address its limits are counted against. A real Node HTTP server in a child process,
 * loaded the way scripts/start.mjs and the image load Next's.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIpFrom, parseTrustedProxies } from '~/server/api/client-ip';

const patch = path.join(import.meta.dirname, 'forwarded-for.mjs');
const echo = `require('node:http').createServer((q, r) => r.end(String(q.headers['x-forwarded-for']))).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`;

describe('forwarded-for', () => {
  let child: ReturnType<typeof spawn>;
  let base = '';
  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', patch, '-e', echo], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<string>((resolve) => child.stdout!.once('data', (b: Buffer) => resolve(b.toString().trim())));
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(() => void child.kill());

  it('appends the peer address to what the client sent, and sets it when the client sent none', async () => {
    expect(await (await fetch(base)).text()).toBe('127.0.0.1');
    const spoofed = await (await fetch(base, { headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' } })).text();
    expect(spoofed).toBe('203.0.113.9, 198.51.100.1, 127.0.0.1');
    // With no trusted proxy the right-most entry, the real peer, is the client; behind a trusted proxy, the one
    // the proxy saw.
    expect(clientIpFrom(new Headers({ 'x-forwarded-for': spoofed }), parseTrustedProxies(''))).toBe('127.0.0.1');
    expect(clientIpFrom(new Headers({ 'x-forwarded-for': spoofed }), parseTrustedProxies('127.0.0.1'))).toBe('198.51.100.1');
  });
});
