import { minimatch } from 'minimatch';

/** One thing that must be on the release: a name or a glob of names. */
export interface Expectation {
  pattern: string;
  /** Globs come from the `expect` input; create-release's downloads rows name files literally. */
  glob: boolean;
}

/** The `expect` lines as globs, else the file names of the downloads rows, as they are. */
export function expectations(expect: string[], rowFiles: string[]): Expectation[] {
  if (expect.length > 0) return expect.map((pattern) => ({ pattern, glob: true }));
  return rowFiles.map((pattern) => ({ pattern, glob: false }));
}

const matches = (expectation: Expectation, name: string) =>
  expectation.glob ? minimatch(name, expectation.pattern, { dot: true }) : name === expectation.pattern;

/** The expectations no name meets, by their own spelling. */
export function unmet(wanted: Expectation[], names: Iterable<string>): string[] {
  const present = [...names];
  return wanted.filter((e) => !present.some((name) => matches(e, name))).map((e) => e.pattern);
}
