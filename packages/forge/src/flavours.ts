// What tells the forges apart where the client's algorithms are the same: one record per flavour, so a
// new flavour is an entry here, not a branch in each method. (Uploads, asset lists and download links
// still differ in code of their own in client.ts.)
import type { HttpError } from '@forge-actions/http';
import { hasAlreadyExists } from './errors.js';
import type { Flavour } from './routes.js';

export interface FlavourRules {
  /** Headers every request carries: the token's scheme, and GitHub's media type and API version. */
  headers(token: string): Record<string, string>;
  /** The query parameter and the size of a full page. */
  page: { param: string; size: number };
  /** The release JSON takes `make_latest`. */
  makeLatest: boolean;
  /** The tag route finds drafts too; GitHub's shows published releases only, so the list is searched. */
  tagRouteFindsDrafts: boolean;
  /** The server tells its version (`/version`), on which the upload form depends. */
  hasVersion: boolean;
  /** How the forge refuses a create for a tag that has a release, for the message; undefined otherwise. */
  releaseExists(error: HttpError): string | undefined;
  /** Added to the message when a create ended with a 5xx. */
  uncertainCreateHint: string;
}

export const FLAVOUR_RULES: Record<Flavour, FlavourRules> = {
  gitea: {
    headers: (token) => ({ authorization: `token ${token}` }),
    page: { param: 'limit', size: 50 },
    makeLatest: false,
    tagRouteFindsDrafts: true,
    hasVersion: true,
    releaseExists: (error) => (error.status === 409 ? '409 Conflict' : undefined),
    uncertainCreateHint:
      ' Gitea answers 500 when two jobs create the same release at once, and for a tag name git does not accept.',
  },
  github: {
    headers: (token) => ({
      authorization: `Bearer ${token}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    }),
    page: { param: 'per_page', size: 100 },
    makeLatest: true,
    tagRouteFindsDrafts: false,
    hasVersion: false,
    releaseExists: (error) =>
      error.status === 422 && hasAlreadyExists(error.body) ? '422 already_exists' : undefined,
    uncertainCreateHint: '',
  },
};
