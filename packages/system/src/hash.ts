import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Worker } from 'node:worker_threads';

/** Below this a worker costs more to start than the hash it would take off the main thread. */
const WORKER_FROM_BYTES = 8 * 1024 * 1024;
/** Large reads: fewer round trips between the stream and the hash. */
const CHUNK = 1024 * 1024;

/**
 * The worker's source, run as a script (eval), so a bundle needs no file beside it. It reads the file
 * named by workerData synchronously into one reused buffer (a worker has nothing else to do, and no
 * stream buffers pile up for the garbage collector) and posts the hex digest.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const hash = createHash('sha256');
const buffer = Buffer.allocUnsafe(${CHUNK});
const fd = openSync(workerData, 'r');
try {
  for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
} finally {
  closeSync(fd);
}
parentPort.postMessage(hash.digest('hex'));
`;

/** Workers running at once: hashing more files than cores in parallel only adds memory. */
let running = 0;
const waiting: Array<() => void> = [];

async function inWorker(path: string): Promise<string> {
  if (running >= availableParallelism()) await new Promise<void>((turn) => waiting.push(turn));
  running++;
  try {
    return await new Promise<string>((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: path,
      });
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`hashing ${path} stopped (exit code ${code})`)));
    });
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/**
 * SHA-256 of a file, read as a stream so memory does not grow with its size. A large file is hashed
 * on a worker thread: on the main thread the hash would take turns with the upload that sends the
 * same file at the same time.
 */
export async function sha256File(path: string): Promise<string> {
  // Errors such as ENOENT are thrown here, with their codes, rather than cloned across threads.
  const { size } = await stat(path);
  if (size >= WORKER_FROM_BYTES) return inWorker(path);
  const hash = createHash('sha256');
  // A stream allocates a whole chunk per read: a small file gets a chunk of its size, not 1 MiB (an
  // upload hashes all its files at once).
  await pipeline(createReadStream(path, { highWaterMark: Math.min(CHUNK, Math.max(size, 64 * 1024)) }), hash);
  return hash.digest('hex');
}
