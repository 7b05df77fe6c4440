import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '~/server/services/users';
import { callerFor, drivers, openTestDatabase, type TestDb } from '~/test/harness';

describe.each(drivers)('sign-up and sign-in (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t.drop());

  it('creates an account with a normalized email and an argon2id hash', async () => {
    const api = callerFor(t.db, null);
    const user = await api.auth.signUp({ email: '  Ada@Example.COM ', password: 'analytical-engine-1843', name: 'Ada' });
    expect(user.email).toBe('ada@example.com');
    const ok = await authenticate(t.db, { email: 'ADA@example.com', password: 'analytical-engine-1843', ip: 'x' });
    expect(ok.ok).toBe(true);
    if (ok.ok) expect(ok.user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('rejects a duplicate sign-up at the email field', async () => {
    const api = callerFor(t.db, null);
    await expect(api.auth.signUp({ email: 'ada@example.com', password: 'another-long-pass', name: '' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'An account with this email already exists. Sign in instead.',
    });
  });

  it('rejects weak passwords and bad emails with field errors, writing nothing', async () => {
    const api = callerFor(t.db, null);
    const cases = [
      { email: 'bob@example.com', password: 'short', field: 'password', msg: 'Use at least 10 characters.' },
      { email: 'bob@example.com', password: 'password123', field: 'password', msg: 'This password is too common' },
      { email: 'bob@example.com', password: 'aaaaaaaaaaaa', field: 'password', msg: 'too repetitive' },
      { email: 'not-an-email', password: 'a-fine-password', field: 'email', msg: 'Enter a valid email address' },
    ];
    for (const c of cases) {
      const err = await api.auth.signUp({ email: c.email, password: c.password, name: '' }).catch((e) => e);
      expect(err.code).toBe('BAD_REQUEST');
      expect(err.message).toContain(c.msg);
      expect((z.flattenError(err.cause).fieldErrors as Record<string, string[]>)[c.field]?.[0]).toContain(c.msg);
    }
    expect((await authenticate(t.db, { email: 'bob@example.com', password: 'a-fine-password', ip: 'x' })).ok).toBe(false);
  });

  it('gives one answer, after the same argon2 work, for an unknown email and a wrong password', async () => {
    const wrong = await authenticate(t.db, { email: 'ada@example.com', password: 'wrong-password!', ip: 'a' });
    const unknown = await authenticate(t.db, { email: 'nobody@example.com', password: 'whatever-long', ip: 'a' });
    expect(unknown).toEqual(wrong);
    expect(wrong).toEqual({ ok: false, reason: 'invalid_credentials' });
  });

  it('counts failures only: successful sign-ins never lock anyone out', async () => {
    for (let i = 0; i < 15; i++) {
      expect((await authenticate(t.db, { email: 'ada@example.com', password: 'analytical-engine-1843', ip: '10.1.1.1' })).ok).toBe(true);
    }
  });

  it('locks out a guesser per email and address, not the owner signing in from elsewhere', async () => {
    const email = 'ada@example.com';
    const results = [];
    for (let i = 0; i < 12; i++) results.push(await authenticate(t.db, { email, password: 'nope-nope-nope', ip: '10.0.0.66' }));
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([...Array(10).fill('invalid_credentials'), 'rate_limited', 'rate_limited']);
    // The guesser is locked out even with the right password...
    expect(await authenticate(t.db, { email, password: 'analytical-engine-1843', ip: '10.0.0.66' })).toEqual({ ok: false, reason: 'rate_limited' });
    // ...the owner, from their own address, is not.
    expect((await authenticate(t.db, { email, password: 'analytical-engine-1843', ip: '10.9.9.9' })).ok).toBe(true);
  });

  it('has a slower per-email ceiling across addresses', async () => {
    await callerFor(t.db, null, '198.51.100.250').auth.signUp({ email: 'grace@example.com', password: 'cobol-compiler-1959', name: '' });
    const reasons = [];
    for (let i = 0; i < 101; i++) {
      const r = await authenticate(t.db, { email: 'grace@example.com', password: 'nope-nope-nope', ip: `10.2.${i >> 4}.${i}` });
      reasons.push(r.ok ? 'ok' : r.reason);
    }
    expect(reasons.slice(0, 100).every((r) => r === 'invalid_credentials')).toBe(true);
    expect(reasons[100]).toBe('rate_limited');
  });

  it('rate-limits failed sign-ins per IP across emails', async () => {
    const reasons = [];
    for (let i = 0; i < 52; i++) {
      const r = await authenticate(t.db, { email: `u${i}@example.com`, password: 'nope-nope-nope', ip: '198.51.100.1' });
      reasons.push(r.ok ? 'ok' : r.reason);
    }
    expect(reasons.slice(0, 50).every((r) => r === 'invalid_credentials')).toBe(true);
    expect(reasons.slice(50)).toEqual(['rate_limited', 'rate_limited']);
  });

  it('rate-limits sign-up per IP', async () => {
    const api = callerFor(t.db, null, '198.51.100.99');
    const codes = [];
    for (let i = 0; i < 21; i++) {
      codes.push(await api.auth.signUp({ email: `s${i}@example.com`, password: 'a-fine-password', name: '' }).then(() => 'ok', (e) => e.code));
    }
    expect(codes.slice(0, 20).every((c) => c === 'ok')).toBe(true);
    expect(codes[20]).toBe('TOO_MANY_REQUESTS');
  });
});
