// Gitea keeps a row for every pushed tag, and a create for such a tag converts that row into a release.
// Simultaneous creates all read the row before the first one commits, so each converts it again: every
// one answers 201 with the same release, and the fields of the last one win. A Conversion spans the
// creates of one tag from the first one's checks until the last one has answered.
import type { Release } from './store.js';

export class Conversion {
  /** Creates of the tag between their checks and their answer. */
  pending = 0;
  readonly committed: Promise<Release>;
  private resolve!: (release: Release) => void;

  constructor() {
    this.committed = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** The first create made the release: the others may now apply their fields to it. */
  commit(release: Release): void {
    this.resolve(release);
  }
}
