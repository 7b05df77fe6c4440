import { decode as authDecode, encode as authEncode } from '@auth/core/jwt';
import { describe, expect, it } from 'vitest';
import { decode, encode } from './jwt';

const secret = 'a-test-secret-of-enough-length-0123456789';
const salt = 'authjs.session-token';

describe('session token with a cached derived key', () => {
  it('reads tokens Auth.js issued and issues tokens Auth.js reads', async () => {
    const theirs = await authEncode({ token: { sub: 'u1', sv: 2 }, secret, salt });
    expect(await decode({ token: theirs, secret, salt })).toMatchObject({ sub: 'u1', sv: 2 });
    const ours = await encode({ token: { sub: 'u2', sid: 's' }, secret, salt });
    expect(await authDecode({ token: ours, secret, salt })).toMatchObject({ sub: 'u2', sid: 's' });
    expect(await decode({ token: ours, secret, salt })).toMatchObject({ sub: 'u2', sid: 's' });
  });

  it('refuses a token under another secret or salt, and accepts it from a rotated list', async () => {
    const token = await encode({ token: { sub: 'u1' }, secret, salt });
    await expect(decode({ token, secret: 'another-secret-of-enough-length-0123456', salt })).rejects.toThrow();
    await expect(decode({ token, secret, salt: '__Secure-authjs.session-token' })).rejects.toThrow();
    expect(await decode({ token, secret: ['new-secret-of-enough-length-0123456789', secret], salt })).toMatchObject({ sub: 'u1' });
  });

  it('treats an empty token as no session', async () => {
    expect(await decode({ token: undefined, secret, salt })).toBeNull();
  });
});
