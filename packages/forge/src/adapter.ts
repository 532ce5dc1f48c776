// What a forge is to the client: one ForgeAdapter per flavour (gitea.ts, forgejo.ts, github.ts) holds everything that
// tells the forges apart, so the release and asset algorithms in client.ts are written once above them.
import type { HttpError } from '@forge-actions/http';
import type { Asset, Release, ReleaseRef } from './models.js';
import type { Transport, WireRules } from './transport.js';

export type Flavour = 'gitea' | 'forgejo' | 'github';

export interface UploadFile {
  /** The asset name on the release. */
  name: string;
  /** The file on disk, streamed afresh for each attempt. */
  path: string;
  /** Bytes; read from the file when omitted. */
  size?: number;
  /** Default `application/octet-stream`. */
  contentType?: string;
  /** GitHub only. */
  label?: string;
  onProgress?: (bytes: number, total: number) => void;
}

/** An upload as the adapter sends it: the file checked, its size and type settled. */
interface Upload extends UploadFile {
  size: number;
  contentType: string;
  action: string;
  notFound: string;
}

/** The asset operations an adapter's upload may fall back on (GitHub's conflict handling). */
interface AssetOps {
  listAssets(release: ReleaseRef): Promise<Asset[]>;
  deleteAsset(releaseId: number, assetId: number): Promise<boolean>;
  serverVersion(): Promise<string | undefined>;
}

export interface ForgeAdapter extends WireRules {
  readonly flavour: Flavour;
  /** The release JSON takes `make_latest`. */
  readonly makeLatest: boolean;
  /** The release JSON takes `hide_archive_links` (Forgejo). */
  readonly archiveLinksSetting: boolean;
  /** The tag route finds drafts too; GitHub's shows published releases only, so the list is searched. */
  readonly tagRouteFindsDrafts: boolean;
  /** The server tells its version (`/version`), on which the upload form depends. */
  readonly hasVersion: boolean;
  /** The asset list comes in pages (GitHub) rather than whole (Gitea). */
  readonly assetsPaged: boolean;
  /** Least time between two writes the server asks for, in ms. */
  mutationSpacingMs(apiUrl: string): number;
  /** How the forge refuses a create for a tag that has a release, for the message; undefined otherwise. */
  releaseExists(error: HttpError): string | undefined;
  /** Added to the message when a create ended with a 5xx. */
  readonly uncertainCreateHint: string;
  /** Sends one file as an asset of the release. */
  upload(
    t: Transport,
    ops: AssetOps,
    release: ReleaseRef & Partial<Pick<Release, 'uploadUrl'>>,
    file: Upload,
  ): Promise<Asset>;
  /** Where one asset's bytes are fetched from, and with which headers. */
  downloadRequest(t: Transport, asset: AssetLocation): { url: string; headers: Record<string, string> };
}

export type AssetLocation = Pick<Asset, 'id' | 'name' | 'downloadUrl' | 'uuid'>;
