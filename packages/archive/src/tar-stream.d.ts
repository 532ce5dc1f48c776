// tar-stream 3 ships no type declarations: the part this package uses.
declare module 'tar-stream' {
  import type { Readable, Writable } from 'node:stream';

  export interface Headers {
    name: string;
    /** tar-stream's names for the entry types; pax and GNU long-name headers are consumed by it. */
    type?: string | null;
    mode?: number;
    linkname?: string | null;
    size?: number;
  }

  export interface Entry extends Readable {
    header: Headers;
  }

  export interface Extract extends Writable, AsyncIterable<Entry> {}

  export function extract(): Extract;
}
