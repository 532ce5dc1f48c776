import { PassThrough, Readable, type Writable } from 'node:stream';
import { BodyError } from './errors.js';

/** A request body: produced afresh for every attempt, since a stream can be read only once. */
export type BodyFactory = () => Readable | string | Buffer;

/**
 * The stream handed to @actions/http-client for one attempt. It counts bytes (for progress and to catch a
 * file that changed size) and remembers the request it was piped into: http-client neither listens for
 * errors of the body stream nor exposes the request, so without this a failing file read would leave the
 * request waiting for bytes until the socket times out.
 */
class AttemptBody extends PassThrough {
  private target: Writable | undefined;
  private sent = 0;

  constructor(
    source: Readable,
    private readonly expectedLength: number,
    onProgress?: (bytes: number, total: number) => void,
  ) {
    super();
    source.on('error', (error) => this.fail(new BodyError(`cannot read the request body: ${error.message}`)));
    source.on('data', (chunk: Buffer) => {
      this.sent += chunk.length;
      if (this.sent > this.expectedLength) this.fail(this.lengthError());
      else onProgress?.(this.sent, this.expectedLength);
    });
    source.on('end', () => {
      if (this.sent !== this.expectedLength) this.fail(this.lengthError());
    });
    // Failures reach the caller through the request; an 'error' here must not go unhandled.
    this.on('error', () => undefined);
    // Stop reading the file when this attempt is abandoned (reset by the server, timeout).
    this.on('close', () => source.destroy());
    source.pipe(this);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    this.target = destination as unknown as Writable;
    return super.pipe(destination, options);
  }

  private lengthError(): BodyError {
    return new BodyError(
      `the request body does not have the announced ${this.expectedLength} bytes (read ${this.sent}; did the file change while uploading?)`,
    );
  }

  /** Aborts the request this body feeds, so the attempt fails now with `error`. */
  private fail(error: Error): void {
    if (this.target && !this.target.destroyed) this.target.destroy(error);
    else this.destroy(error);
  }
}

/** Turns one factory result into what http-client sends, with its exact length. */
export function materialiseBody(
  produced: Readable | string | Buffer,
  contentLength: number | undefined,
  onProgress?: (bytes: number, total: number) => void,
): { data: string | Readable; length: number } {
  if (typeof produced === 'string') {
    const length = Buffer.byteLength(produced, 'utf8');
    onProgress?.(length, length);
    return { data: produced, length };
  }
  if (Buffer.isBuffer(produced)) {
    return {
      data: new AttemptBody(Readable.from([produced]), produced.length, onProgress),
      length: produced.length,
    };
  }
  if (contentLength === undefined) {
    // Chunked uploads are refused by GitHub's upload host and by older Gitea; demand the length up front.
    produced.destroy();
    throw new BodyError('a streamed request body needs an explicit contentLength');
  }
  return { data: new AttemptBody(produced, contentLength, onProgress), length: contentLength };
}
