import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { unsafeEntryName } from '@forge-actions/archive/extract';
import { ensureTool, runCommand } from '@forge-actions/system';

/** msiextract's path, installing msitools with apt-get when it is missing and the runner allows it. */
export function ensureMsiextract(
  logger: Logger,
  machine: { path?: string; uid?: number } = {},
): Promise<string> {
  return ensureTool({
    program: 'msiextract',
    aptPackage: 'msitools',
    installInput: 'tkinter',
    install: true,
    logger,
    ...machine,
  });
}

/**
 * Extracts an MSI into `destination` with msiextract, after listing it: a package whose file list holds
 * a path that would land outside the folder is refused before anything is written.
 */
export async function extractMsi(msiextract: string, msi: string, destination: string): Promise<string[]> {
  const listed = await runCommand(msiextract, ['--list', msi]);
  if (listed.code !== 0) throw new ActionError(`msiextract cannot read ${msi}: ${listed.stderr[0] ?? ''}`);
  const files = listed.stdout.filter((line) => line.trim() !== '');
  for (const file of files) {
    const reason = unsafeEntryName(file);
    if (reason)
      throw new ActionError(`${msi} holds an unsafe path '${file}' (${reason}); nothing was extracted`);
  }
  const extracted = await runCommand(msiextract, ['-C', destination, msi]);
  if (extracted.code !== 0)
    throw new ActionError(`msiextract failed on ${msi}: ${extracted.stderr[0] ?? ''}`);
  return files;
}
