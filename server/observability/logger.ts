/**
 * Structured logs: one JSON object per line on stdout (for a log pipeline), or pino-pretty's readable lines in
 * development (PLINTH_LOG_FORMAT). Everything logged inside `withLogContext` carries that context (the request id
 * of an HTTP request, the deployment a reconcile pass works on) without passing a logger around, through
 * AsyncLocalStorage and pino's mixin.
 *
 * Secrets are redacted by path: anything named like a password, token, secret, key or cookie, at the top level or
 * one or two levels down, prints as "[redacted]". Do not log connection strings or request bodies as strings:
 * redaction cannot see inside a string.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { env } from '../env';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'secretKey',
  'clientSecret',
  'apiKey',
  'authorization',
  'cookie',
  'set-cookie',
  'databaseUrl',
  'connectionString',
  'pgConnStr',
  'webhookSecret',
  'credentials',
];

/** pino redact paths: each key at the top level, one level down and two levels down (`req.headers.cookie`). */
export const redactPaths = SECRET_KEYS.flatMap((k) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : `["${k}"]`;
  const dot = key.startsWith('[') ? '' : '.';
  return [key, `*${dot}${key}`, `*.*${dot}${key}`];
});

export type LogContext = { requestId?: string; deploymentId?: string; orgId?: string; generation?: number; workerId?: string };

// On globalThis like the logger: the root logger's mixin must read the same store that route handlers (another
// module graph in Next) write with withLogContext.
const g = globalThis as unknown as { __plinthLogger?: Logger; __plinthLogContext?: AsyncLocalStorage<LogContext> };
const context = (g.__plinthLogContext ??= new AsyncLocalStorage<LogContext>());

/** Runs `fn` with `fields` added to every log line written inside it (nested contexts merge). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return context.run({ ...context.getStore(), ...fields }, fn);
}

/** Builds a logger; `destination` lets tests capture the lines. */
export function createLogger(
  opts: { level?: string; format?: 'json' | 'pretty'; destination?: pino.DestinationStream } = {},
): Logger {
  const format = opts.format ?? env.observability.logFormat;
  const options: pino.LoggerOptions = {
    level: opts.level ?? env.observability.logLevel,
    base: { service: 'plinth', pid: process.pid },
    redact: { paths: redactPaths, censor: '[redacted]' },
    mixin: () => context.getStore() ?? {},
    // `msg` plus ISO time is what most log pipelines (Loki, Elasticsearch, CloudWatch) parse without configuration.
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  // In-process and synchronous (no transport worker thread), so it works inside Next's server bundle too.
  if (format === 'pretty') {
    const colorize = !opts.destination && process.stdout.isTTY;
    return pino(options, pretty({ colorize, sync: true, ignore: 'pid,hostname,service', destination: opts.destination ?? 1 }));
  }
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

// One root logger per process, shared by Next's separate module graphs.
export const logger: Logger = (g.__plinthLogger ??= createLogger());
