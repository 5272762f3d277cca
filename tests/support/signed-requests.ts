/**
 * Requests to the HTTP interactions endpoint signed as Discord signs them: Ed25519 over the timestamp followed by the
 * raw body, with a key pair generated for the test (its public key is the bot's DISCORD_PUBLIC_KEY).
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface SigningKeys {
  privateKey: KeyObject;
  /** The public key as the Developer Portal shows it: 64 hex digits. */
  publicKeyHex: string;
}

export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { privateKey, publicKeyHex: Buffer.from(jwk.x!, 'base64url').toString('hex') };
}

/** Seconds since the epoch, as X-Signature-Timestamp carries it. */
export function nowSeconds(): string {
  return String(Math.floor(Date.now() / 1000));
}

export function signatureOf(privateKey: KeyObject, timestamp: string, body: string | Buffer): string {
  return sign(null, Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]), privateKey).toString('hex');
}

export interface EndpointResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or null when the body is empty or not JSON. */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- assertions reach into Discord payloads
  /** Milliseconds from sending the request to reading the whole response. */
  ms: number;
}

export async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<EndpointResponse> {
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, headers: response.headers, body: parsed, ms: performance.now() - started };
}

/** POSTs `payload` signed with `privateKey` (now, unless `timestamp` is given). */
export function postSigned(url: string, payload: unknown, privateKey: KeyObject, options: { timestamp?: string } = {}): Promise<EndpointResponse> {
  const body = JSON.stringify(payload);
  const timestamp = options.timestamp ?? nowSeconds();
  return post(url, body, { 'x-signature-ed25519': signatureOf(privateKey, timestamp, body), 'x-signature-timestamp': timestamp });
}
