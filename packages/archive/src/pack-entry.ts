import type { Stats } from 'node:fs';
import type { Readable } from 'node:stream';

/** One archive entry as both writers take it: its name inside the archive and its permission bits. */
export type PackEntry =
  | { kind: 'directory'; name: string; mode: number }
  | { kind: 'file'; name: string; mode: number; absolute: string; size: number; stats: Stats }
  | { kind: 'symlink'; name: string; mode: number; target: string };

export interface WriteOptions {
  /** Deflate level 0–9; 0 stores. */
  level: number;
  /** The one timestamp every entry carries. */
  mtime: Date;
}

/** An archive being written: its bytes, and the adding of entries, which ends after the last one. */
export interface ArchiveStream {
  output: Readable;
  filled: Promise<void>;
}
