import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface Deflated {
  crc: number;
  /** Bytes read. */
  size: number;
  /** The file deflated at the level asked for (as read for level 0). */
  data: Buffer;
}

/**
 * The workers' source, run as a script (eval) so a bundle needs no file beside it. Each reads a file
 * whole and deflates it in one synchronous call: for thousands of small files that is a third of the
 * CPU zlib's asynchronous calls spend (8,000 × 18 KB: 0.42 s against 2.7 s, measured).
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { crc32, deflateRawSync } = require('node:zlib');
parentPort.on('message', ({ id, path, level }) => {
  try {
    const read = readFileSync(path);
    const data = level === 0 ? read : deflateRawSync(read, { level });
    parentPort.postMessage({ id, crc: crc32(read), size: read.length, data });
  } catch (error) {
    parentPort.postMessage({ id, error: error.message });
  }
});
`;

interface Job {
  id: number;
  path: string;
  level: number;
  resolve: (deflated: Deflated) => void;
  reject: (error: Error) => void;
}

/** Worker threads reading and deflating whole files, one file per worker at a time, in any order. */
export class DeflatePool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private readonly size = Math.min(availableParallelism(), 8);
  private nextId = 0;
  private failure: Error | undefined;

  deflate(path: string, level: number): Promise<Deflated> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.queue.push({ id: this.nextId++, path, level, resolve, reject });
      this.dispatch();
    });
  }

  /** Ends every worker; jobs still waiting are rejected. */
  async close(): Promise<void> {
    this.fail(new Error('the deflate workers were closed'));
    await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.busy.size < this.size ? this.start() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      worker.postMessage({ id: job.id, path: job.path, level: job.level });
    }
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', (message: { id: number; error?: string } & Partial<Deflated>) => {
      const job = this.busy.get(worker);
      if (!job || job.id !== message.id) return;
      this.busy.delete(worker);
      this.idle.push(worker);
      if (message.error !== undefined) job.reject(new Error(message.error));
      else {
        // A Buffer arrives as a Uint8Array: wrapped as it is, not copied again.
        const data = message.data as Uint8Array;
        job.resolve({
          crc: message.crc as number,
          size: message.size as number,
          data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        });
      }
      this.dispatch();
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (this.busy.has(worker)) this.fail(new Error(`a deflate worker stopped (exit code ${code})`));
    });
    return worker;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const job of [...this.busy.values(), ...this.queue.splice(0)]) job.reject(this.failure);
    this.busy.clear();
  }
}
