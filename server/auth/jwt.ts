/**
 * Auth.js's session-token encode/decode with the derived key cached. @auth/core 0.41's own `decode` and
 * `encode` run HKDF and a JWK thumbprint on every call, and a signed-in request both decodes the cookie and
 * re-encodes the refreshed one: two derivations per request for a key that only changes with AUTH_SECRET.
 * Auth.js lets the app supply `jwt.encode`/`jwt.decode` (NextAuthConfig.jwt), so these are byte-for-byte the
 * same tokens (A256CBC-HS512, "dir", the same HKDF info and salt, the same `kid`), with the key and its
 * thumbprint kept per (secret, salt, enc). Cookies issued before this change keep working.
 */
import { hkdfSync } from 'node:crypto';
import type { JWTOptions } from 'next-auth/jwt';
import { base64url, calculateJwkThumbprint, EncryptJWT, jwtDecrypt } from 'jose';

const alg = 'dir';
const enc = 'A256CBC-HS512';
const DEFAULT_MAX_AGE = 30 * 24 * 60 * 60;

type Key = { key: Uint8Array; kid: string };
const keys = new Map<string, Promise<Key>>();

function derivedKey(encAlg: string, secret: string, salt: string): Promise<Key> {
  const cacheKey = `${encAlg}\0${salt}\0${secret}`;
  let found = keys.get(cacheKey);
  if (!found) {
    const length = encAlg === 'A256CBC-HS512' ? 64 : encAlg === 'A256GCM' ? 32 : 0;
    if (!length) return Promise.reject(new Error('Unsupported JWT Content Encryption Algorithm'));
    const key = new Uint8Array(hkdfSync('sha256', secret, salt, `Auth.js Generated Encryption Key (${salt})`, length));
    found = calculateJwkThumbprint({ kty: 'oct', k: base64url.encode(key) }, `sha${key.byteLength << 3}` as 'sha512').then((kid) => ({ key, kid }));
    // A handful of entries at most (one per secret, cookie name and algorithm); never evicted.
    keys.set(cacheKey, found);
  }
  return found;
}

const secretsOf = (secret: string | string[]) => (Array.isArray(secret) ? secret : [secret]);

export const encode: JWTOptions['encode'] = async ({ token = {}, secret, maxAge = DEFAULT_MAX_AGE, salt }) => {
  const { key, kid } = await derivedKey(enc, secretsOf(secret)[0]!, salt);
  return new EncryptJWT(token as Record<string, unknown>)
    .setProtectedHeader({ alg, enc, kid })
    .setIssuedAt()
    .setExpirationTime(((Date.now() / 1000) | 0) + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(key);
};

export const decode: JWTOptions['decode'] = async ({ token, secret, salt }) => {
  if (!token) return null;
  const { payload } = await jwtDecrypt(
    token,
    async (header) => {
      for (const s of secretsOf(secret)) {
        const { key, kid } = await derivedKey(header.enc, s, salt);
        if (header.kid === undefined || header.kid === kid) return key;
      }
      throw new Error('no matching decryption secret');
    },
    { clockTolerance: 15, keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [enc, 'A256GCM'] },
  );
  return payload;
};
