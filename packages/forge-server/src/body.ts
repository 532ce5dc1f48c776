// Small request bodies (JSON) and draining bodies that are refused.
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

const JSON_LIMIT = 8 * 1024 * 1024;

export type JsonBody = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** Reads a JSON object body; an empty body is `{}`. Rejects when the connection goes away. */
export async function readJson(body: Readable): Promise<JsonBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > JSON_LIMIT) return { ok: false, reason: 'body too large' };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { ok: true, value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, reason: 'body is not a JSON object' };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'body is not valid JSON' };
  }
}

/** Reads and drops the rest of a body, so a refusal can still be answered on the same connection. */
export async function drain(body: Readable): Promise<void> {
  body.resume();
  await finished(body).catch(() => undefined);
}

export function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function optionalBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}
