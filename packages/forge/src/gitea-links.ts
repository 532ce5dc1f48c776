// Gitea's two forms of an asset link. `{root}/attachments/{uuid}` names one stored copy: it is exact
// among duplicate names but dies when that copy is replaced. `{root}/{owner}/{repo}/releases/download/{tag}/{name}`
// names the asset: it survives replacement, and serves one arbitrary (in practice the oldest) copy among duplicates.
// Gitea answers the first form for uploads, single-asset reads and, while two assets share a name, every asset.

/** The by-name link, the one to hand out to users (outputs, notes, summaries). */
export function byNameLink(downloadUrl: string, repository: string, tag: string, name: string): string {
  const attachment = /^(.*)\/attachments\/[^/]+$/.exec(downloadUrl);
  if (!attachment) return downloadUrl;
  return `${attachment[1]}/${repository}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(name)}`;
}

/** The by-uuid link, the one to download a particular copy through (`fallbackRoot` when the link names no root). */
export function attachmentLink(
  downloadUrl: string,
  uuid: string | undefined,
  repository: string,
  fallbackRoot: string,
): string {
  if (!uuid || /\/attachments\/[^/]+$/.test(downloadUrl)) return downloadUrl;
  const at = downloadUrl.toLowerCase().indexOf(`/${repository}/releases/download/`.toLowerCase());
  const root = at >= 0 ? downloadUrl.slice(0, at) : fallbackRoot;
  return `${root}/attachments/${encodeURIComponent(uuid)}`;
}
