/**
 * Discord's request signatures on the HTTP interactions endpoint: Ed25519 over the timestamp followed by the raw
 * body, with the application's public key (Developer Portal, General Information). node:crypto only.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** A request signed longer ago (or further ahead) than this is refused: a replayed request is stale. */
export const MAX_SIGNATURE_AGE_MS = 5 * 60 * 1000;

/** The DER header of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const PUBLIC_KEY_HEX = /^[0-9a-f]{64}$/i;
const SIGNATURE_HEX = /^[0-9a-f]{128}$/i;
const TIMESTAMP = /^\d{1,12}$/;

export function isPublicKeyHex(text: string): boolean {
  return PUBLIC_KEY_HEX.test(text);
}

/** The application's public key as Discord shows it (64 hex digits) as a key object. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!isPublicKeyHex(hex)) throw new Error('an Ed25519 public key is 64 hexadecimal digits');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'invalid';

/**
 * Checks X-Signature-Ed25519 and X-Signature-Timestamp over the raw body; null when the request is Discord's,
 * else what is wrong with it. Never throws.
 */
export function checkSignature(
  publicKey: KeyObject,
  signature: string | undefined,
  timestamp: string | undefined,
  body: Buffer,
  now = Date.now(),
): SignatureProblem | null {
  if (!signature || !timestamp) return 'missing';
  if (!SIGNATURE_HEX.test(signature) || !TIMESTAMP.test(timestamp)) return 'malformed';
  if (Math.abs(now - Number(timestamp) * 1000) > MAX_SIGNATURE_AGE_MS) return 'stale';
  try {
    return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), publicKey, Buffer.from(signature, 'hex')) ? null : 'invalid';
  } catch {
    return 'invalid';
  }
}
