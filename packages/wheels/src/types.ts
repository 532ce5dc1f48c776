import type { Logger } from '@forge-actions/action-kit/errors';
import type { Indexes } from './indexes.js';
import type { Python } from './python.js';
import type { Target } from './target.js';

/** What is resolved: requirement files (the input lines are written to one) and the constraints file. */
export interface Sources {
  requirementFiles: string[];
  constraintFile: string | undefined;
}

/** A distribution the resolver chose, before it is fetched. */
export interface Candidate {
  /** Normalised project name. */
  name: string;
  version: string;
  kind: 'wheel' | 'sdist';
  /** File name. */
  file: string;
  url?: string;
  /** A local file (a find-links folder or a path requirement). */
  path?: string;
  /** Lower-case hex, when the index gave one. */
  sha256?: string;
}

/** A distribution on disk. */
export interface Fetched {
  name: string;
  version: string;
  kind: 'wheel' | 'sdist';
  path: string;
}

/** What every engine step gets. */
export interface EngineOptions {
  target: Target;
  indexes: Indexes;
  allowSdist: boolean;
  /** Scratch space of this run. */
  tempDir: string;
  logger: Logger;
  /** Kept out of the log (index passwords). */
  secrets: string[];
  /** The runner's Python: it builds sdists (uv would otherwise look for, or download, one of the target's version). */
  python: Python | undefined;
}
