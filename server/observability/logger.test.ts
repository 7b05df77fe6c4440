/** Structured logs: JSON lines, redaction of secrets at any usual depth, and context carried through async calls. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactPaths, withLogContext } from './logger';

function capture(format: 'json' | 'pretty' = 'json') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const log = createLogger({ level: 'debug', format, destination });
  return { log, lines, json: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one JSON object per line with level, time, message and fields', () => {
    const { log, json } = capture();
    log.info({ deploymentCount: 3 }, 'reconciled');
    const [line] = json();
    expect(line).toMatchObject({ level: 'info', msg: 'reconciled', deploymentCount: 3, service: 'plinth' });
    expect(new Date(String(line!.time)).toISOString()).toBe(line!.time);
  });

  it('redacts secrets at the top level, one and two levels down, and in headers', () => {
    const { log, json } = capture();
    log.info(
      {
        password: 'hunter2',
        token: 'tok-1',
        user: { email: 'a@b.test', passwordHash: '$argon2id$x' },
        req: { headers: { authorization: 'Bearer abc', cookie: 'authjs.session-token=xyz', 'set-cookie': 'a=b', accept: 'text/html' } },
        config: { stripe: { secretKey: 'sk_live_1', webhookSecret: 'whsec_1' }, databaseUrl: 'postgres://u:p@h/db' },
        argocd: { server: 'https://argocd.example.com', token: 'eyJ' },
      },
      'with secrets',
    );
    const text = JSON.stringify(json()[0]);
    for (const secret of ['hunter2', 'tok-1', '$argon2id$x', 'Bearer abc', 'xyz', 'sk_live_1', 'whsec_1', 'u:p@h', 'eyJ', '"a=b"']) {
      expect(text, secret).not.toContain(secret);
    }
    // What is not secret stays readable.
    expect(text).toContain('a@b.test');
    expect(text).toContain('text/html');
    expect(text).toContain('https://argocd.example.com');
    expect(redactPaths).toContain('*.*.authorization');
  });

  it('adds the context of withLogContext to every line inside it, across awaits, nested contexts merging', async () => {
    const { log, json } = capture();
    await withLogContext({ requestId: 'r-1' }, async () => {
      await new Promise((r) => setTimeout(r, 5));
      log.info('first');
      await withLogContext({ deploymentId: 'd-1', orgId: 'o-1', generation: 4 }, async () => log.warn('nested'));
    });
    log.info('outside');
    const [first, nested, outside] = json();
    expect(first).toMatchObject({ msg: 'first', requestId: 'r-1' });
    expect(nested).toMatchObject({ msg: 'nested', requestId: 'r-1', deploymentId: 'd-1', orgId: 'o-1', generation: 4 });
    expect(outside!.requestId).toBeUndefined();
  });

  it('puts worker, deployment, org and generation on every line a reconcile pass logs (its log context)', async () => {
    const { log, json } = capture();
    await withLogContext({ workerId: 'vm:1:abc', deploymentId: 'd-2', orgId: 'o-2', generation: 7 }, async () => log.info({ workerId: 'vm:1:abc' }, 'claimed'));
    const [line] = json();
    expect(line).toMatchObject({ msg: 'claimed', workerId: 'vm:1:abc', deploymentId: 'd-2', orgId: 'o-2', generation: 7 });
  });

  it('prints readable lines in the pretty format, still redacted', () => {
    const { log, lines } = capture('pretty');
    log.info({ deploymentId: 'd-9', token: 'tok-9' }, 'converged');
    const text = lines.join('\n');
    expect(text).toMatch(/INFO.*converged/);
    expect(text).toContain('deploymentId: "d-9"');
    expect(text).not.toContain('tok-9');
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });

  it('serializes errors with their message and stack', () => {
    const { log, json } = capture();
    log.error({ err: new Error('terraform exited 1') }, 'pass failed');
    expect(json()[0]).toMatchObject({ level: 'error', err: { type: 'Error', message: 'terraform exited 1' } });
    expect(String((json()[0]!.err as { stack: string }).stack)).toContain('logger.test.ts');
  });
});
