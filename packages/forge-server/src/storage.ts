// Asset bytes on disk. An upload streams into `tmp/`, hashing and counting as it goes, and is renamed
// into `files/` only once complete: a dropped connection leaves nothing behind but a deleted temp file.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface Received {
  /** The temporary file; undefined when the upload was over the limit (nothing kept). */
  tmp?: string;
  size: number;
  sha256: string;
  tooLarge: boolean;
}

export class Storage {
  readonly tmpDir: string;
  readonly filesDir: string;

  constructor(readonly dataDir: string) {
    this.tmpDir = join(dataDir, 'tmp');
    this.filesDir = join(dataDir, 'files');
  }

  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(this.filesDir, { recursive: true });
  }

  /**
   * Streams `source` into a temporary file. Past `limit` bytes the rest is read and dropped (so the
   * client can still be answered 413) and the temporary file removed. Rejects, with nothing left on
   * disk, when the source fails (connection reset, client gone).
   */
  async receive(
    source: Readable,
    limit = Number.POSITIVE_INFINITY,
    onBytes?: (received: number) => void,
  ): Promise<Received> {
    const tmp = join(this.tmpDir, randomUUID());
    const meter = new Meter(limit, onBytes);
    try {
      await pipeline(source, meter, createWriteStream(tmp));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    if (meter.tooLarge) {
      await rm(tmp, { force: true });
      return { size: meter.size, sha256: '', tooLarge: true };
    }
    return { tmp, size: meter.size, sha256: meter.hash.digest('hex'), tooLarge: false };
  }

  /** Moves a received file into place under the asset's uuid; returns its final path. */
  async commit(received: Received, uuid: string): Promise<string> {
    if (!received.tmp) throw new Error('nothing to commit');
    const file = join(this.filesDir, uuid);
    await rename(received.tmp, file);
    return file;
  }

  async discard(received: Received | undefined): Promise<void> {
    if (received?.tmp) await rm(received.tmp, { force: true });
  }

  async remove(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  open(file: string): ReadStream {
    return createReadStream(file);
  }
}

/** Counts and hashes bytes on their way to disk; drops them once over the limit. */
class Meter extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  tooLarge = false;

  constructor(
    private readonly limit: number,
    private readonly onBytes?: (received: number) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    this.onBytes?.(this.size);
    if (this.size > this.limit) this.tooLarge = true;
    if (this.tooLarge) {
      callback();
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }
}
