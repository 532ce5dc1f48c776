// python-version X.Y: the newest X.Y.Z on the mirror that has the embeddable zip, from its folder
// listings. Security-only releases (3.11.10+) have a folder but no Windows files, so the folders of the
// line are tried newest first until one lists the zip.
import { InputError, type Logger } from '@forge-actions/action-kit/errors';
import { type HttpClient, HttpError, NetworkError, parseListing } from '@forge-actions/http';
import {
  nearestVersions,
  newestMatching,
  type PythonSpec,
  parsePythonSpec,
} from '@forge-actions/version/python';
import { embedZipName } from './mirror.js';
import type { FetchRequest } from './request.js';
import { embedVersion, type PythonVersion } from './version.js';

/** How many minor lines an error looks through for the nearest releases that have the zip. */
const NEAREST_LINES_TRIED = 6;

const lineOf = (release: string) => release.split('.').slice(0, 2).join('.');

/** The newest release of `request.python` (a line) whose mirror folder lists the zip for the arch. */
export async function newestEmbedRelease(
  request: FetchRequest,
  http: HttpClient,
  logger: Logger,
): Promise<PythonVersion> {
  const { python: line, arch, mirror } = request;
  const headers = request.mirrorAuthorization ? { authorization: request.mirrorAuthorization } : undefined;
  const list = async (url: string): Promise<string[]> => {
    try {
      const response = await http.request('GET', url, { headers });
      return parseListing(response.body.toString('utf8'), url);
    } catch (error) {
      if (!(error instanceof HttpError || error instanceof NetworkError)) throw error;
      throw new InputError(
        line.input,
        `${line.text} needs the mirror's folder listing to find the newest ${line.text}.x: ${error.message}; ` +
          'a full version X.Y.Z needs none',
      );
    }
  };
  // Release folders: `3.13.0/` holds 3.13.0rc2's files too, but a line picks final releases only.
  const folders = (await list(`${mirror}/`)).filter((e) => e.endsWith('/')).map((e) => e.slice(0, -1));
  const zipListed = new Map<string, boolean>();
  const hasZip = async (release: string): Promise<boolean> => {
    if (!zipListed.has(release)) {
      const listed = (await list(`${mirror}/${release}/`)).includes(embedZipName(release, arch));
      if (!listed) logger.info(`${release}/ lists no ${embedZipName(release, arch)}`);
      zipListed.set(release, listed);
    }
    return zipListed.get(release) as boolean;
  };
  const newestWithZip = async (spec: PythonSpec | string, releases: string[]) => {
    const left = [...releases];
    for (let release = newestMatching(spec, left); release; release = newestMatching(spec, left)) {
      if (await hasZip(release)) return release;
      left.splice(left.indexOf(release), 1);
    }
    return undefined;
  };

  const found = await newestWithZip(line, folders);
  if (found) {
    logger.info(
      `python-version ${line.text}: ${found}, the newest ${line.text}.x with its zip on the mirror`,
    );
    return embedVersion(parsePythonSpec(found, line.input));
  }
  // For the error: line by line from the nearest, each line's newest release that has the zip.
  const nearest: string[] = [];
  let left = folders;
  for (let tried = 0; tried < NEAREST_LINES_TRIED && nearest.length < 3; tried++) {
    const [next] = nearestVersions(line, left, 1);
    if (!next) break;
    const newest = await newestWithZip(lineOf(next), left);
    if (newest) nearest.push(newest);
    left = left.filter((release) => lineOf(release) !== lineOf(next));
  }
  throw new InputError(
    line.input,
    `${line.text} matches no release with ${embedZipName(`${line.text}.x`, arch)} on ${mirror}: ` +
      (nearest.length > 0
        ? `the mirror has ${nearestVersions(line, nearest).join(', ')}`
        : 'the mirror has none for any release'),
  );
}
