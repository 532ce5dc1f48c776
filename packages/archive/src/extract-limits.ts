// What an extraction may unpack (a small download must not fill the disk: an archive bomb), shared by the
// zip and tar.gz extractors, and the action inputs that raise each limit.
import { formatBytes } from '@forge-actions/action-kit/bytes';
import { ActionError } from '@forge-actions/action-kit/errors';

export interface ExtractResult {
  files: number;
  directories: number;
  /** Uncompressed bytes written. */
  bytes: number;
}

/** The limits an extraction stays within, so a small download cannot fill the disk (a zip bomb). */
interface ExtractLimits {
  /** Most bytes all files together may inflate to. Default 4 GiB. */
  maxBytes: number;
  /** Most entries (files and folders) the archive may hold. Default 100,000. */
  maxEntries: number;
  /**
   * Highest inflated:compressed ratio of one zip entry (of a whole tar.gz), checked once it passes
   * `ratioMinBytes`. Default 200.
   */
  maxRatio: number;
  /** Entries up to this many inflated bytes may compress as well as they like. Default 1 MiB. */
  ratioMinBytes: number;
}

export interface ExtractOptions extends Partial<ExtractLimits> {
  /**
   * Zip only: also refuse names Windows cannot hold: alternate data streams (`a:b`), device names
   * (`CON`, `aux.txt`), a trailing dot or space, names equal but for case. Default true: zips are
   * extracted for Windows (embedded Python, Windows wheels); a tar.gz is for Linux.
   */
  windowsNames?: boolean;
  /** The action input that raises each limit, named in the error (e.g. `{ maxBytes: 'max-size' }`). */
  limitInputs?: Partial<Record<'maxBytes' | 'maxEntries' | 'maxRatio', string>>;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/**
 * Defaults sized for this suite: an embedded Python zip is 10-30 MB (about 100 MB unpacked), wheels
 * reach a few hundred MB; well-compressed text and code stay far below 200:1 once past 1 MiB, while a
 * deflate bomb reaches about 1000:1.
 */
const EXTRACT_LIMITS: Readonly<ExtractLimits> = {
  maxBytes: 4 * GiB,
  maxEntries: 100_000,
  maxRatio: 200,
  ratioMinBytes: MiB,
};

/** The action inputs that raise the limits, named alike in every action that extracts (MiB, count, ratio). */
const EXTRACT_LIMIT_INPUTS = {
  maxBytes: 'max-unpacked-mib',
  maxEntries: 'max-unpacked-files',
  maxRatio: 'max-compression-ratio',
} as const;

/** The limits set by those inputs; `read` is the action's whole-number input reader. */
export function extractLimitsFromInputs(read: (input: string) => number): ExtractOptions {
  return {
    maxBytes: read(EXTRACT_LIMIT_INPUTS.maxBytes) * MiB,
    maxEntries: read(EXTRACT_LIMIT_INPUTS.maxEntries),
    maxRatio: read(EXTRACT_LIMIT_INPUTS.maxRatio),
    limitInputs: EXTRACT_LIMIT_INPUTS,
  };
}

export interface Settings {
  limits: ExtractLimits;
  windowsNames: boolean;
  /** How the user raises a limit: `input 'x'`, else the option's name. */
  raise(limit: keyof NonNullable<ExtractOptions['limitInputs']>): string;
}

export function settingsOf(options: ExtractOptions): Settings {
  const limits = { ...EXTRACT_LIMITS };
  for (const key of Object.keys(limits) as Array<keyof ExtractLimits>) {
    const value = options[key];
    if (value !== undefined) {
      if (!(value >= 0))
        throw new ActionError(`extractZip: ${key} must be a number of at least 0 (got ${value})`);
      limits[key] = value;
    }
  }
  return {
    limits,
    windowsNames: options.windowsNames ?? true,
    raise: (limit) => {
      const input = options.limitInputs?.[limit];
      return `raise it with ${input ? `input '${input}'` : `the ${limit} option`}`;
    },
  };
}

export function ratioLimit(settings: Settings): string {
  const { maxRatio, ratioMinBytes } = settings.limits;
  return `beyond the limit of ${maxRatio}:1 for entries over ${formatBytes(ratioMinBytes)}; ${settings.raise('maxRatio')}`;
}
