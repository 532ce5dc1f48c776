// Upload bodies: raw (the whole body is the file) or multipart/form-data (one file field, parsed with
// busboy). Either way the file streams to a temporary file on disk, never into memory.
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { RequestContext } from './context.js';
import type { Received } from './storage.js';

export type Upload =
  | { kind: 'file'; received: Received; filename?: string }
  | { kind: 'too-large' }
  /** Multipart without the expected file field. */
  | { kind: 'no-file' }
  /** The body could not be read: malformed form, or the connection went away. */
  | { kind: 'failed'; reason: string };

export function isMultipart(ctx: RequestContext): boolean {
  return (ctx.req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

export async function receiveRaw(ctx: RequestContext): Promise<Upload> {
  try {
    const received = await ctx.core.storage.receive(ctx.body, ctx.core.maxAssetSize, ctx.bodyReceived);
    return received.tooLarge ? { kind: 'too-large' } : { kind: 'file', received };
  } catch (error) {
    return { kind: 'failed', reason: String(error) };
  }
}

export async function receiveMultipart(ctx: RequestContext, field: string): Promise<Upload> {
  const { storage, maxAssetSize } = ctx.core;
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: ctx.req.headers });
  } catch (error) {
    return { kind: 'failed', reason: String(error) };
  }
  let file: Promise<Received> | undefined;
  let filename: string | undefined;
  parser.on('file', (name, stream, info) => {
    if (name === field && !file) {
      filename = info.filename;
      file = storage.receive(stream, maxAssetSize, ctx.bodyReceived);
      file.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
    } else {
      stream.resume();
    }
  });
  try {
    await pipeline(ctx.body, parser);
  } catch (error) {
    await file?.then(
      (received) => storage.discard(received),
      () => undefined,
    );
    return { kind: 'failed', reason: String(error) };
  }
  if (!file) return { kind: 'no-file' };
  try {
    const received = await file;
    if (received.tooLarge) return { kind: 'too-large' };
    return { kind: 'file', received, ...(filename ? { filename } : {}) };
  } catch (error) {
    return { kind: 'failed', reason: String(error) };
  }
}
