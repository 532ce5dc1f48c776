import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { fileBody } from './file-body.js';

/**
 * A streamed `multipart/form-data` body with one file field, for Gitea before 1.22 (which reads uploads
 * only from the `attachment` field). The framing is fixed text around the file, so the exact
 * Content-Length is known up front and the file streams from disk without being buffered.
 */
export interface MultipartBody {
  contentType: string;
  length: number;
  /** A fresh stream of the whole body, for each attempt. */
  open(): Readable;
}

/**
 * Quotes a filename for Content-Disposition the way browsers do (WHATWG: `"`, CR, LF percent-encoded).
 * @internal Exported for its unit tests.
 */
export function quoteFilename(name: string): string {
  return name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function multipartFile(options: {
  field: string;
  fileName: string;
  path: string;
  size: number;
  fileContentType: string;
  boundary?: string;
}): MultipartBody {
  const boundary = options.boundary ?? `----forge-actions-${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\n` +
      `Content-Disposition: form-data; name="${quoteFilename(options.field)}"; filename="${quoteFilename(options.fileName)}"\r\n` +
      `Content-Type: ${options.fileContentType}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + options.size + tail.length,
    open: () =>
      Readable.from(
        (async function* () {
          yield head;
          yield* fileBody(options.path);
          yield tail;
        })(),
        { objectMode: false },
      ),
  };
}
