import { group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import { connectForge, isLostCreate } from '@forge-actions/forge';
import { chooseMakeLatest, createOutputs, ensureRelease, readCreateRequest } from '@forge-actions/release';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked before the first request.
  const { forge: forgeInputs, wanted, onExisting, makeLatest } = readCreateRequest(inputs, runner.workspace);
  const forge = await group('Connect', () => connectForge({ ...forgeInputs, logger: log }));
  const { release, created, outcome } = await group(`Release for ${wanted.tag}`, () =>
    ensureRelease(forge, wanted, {
      onExisting,
      logger: log,
      isRetryableCreateFailure: isLostCreate,
      makeLatest: () =>
        chooseMakeLatest(forge, { tagName: wanted.tag, prerelease: wanted.prerelease }, makeLatest, log),
    }),
  );
  log.info(`${outcome} release ${release.id}: ${release.htmlUrl}`);
  await writeSummary(
    `Release ${wanted.tag}`,
    ['field', 'value'],
    [
      ['release', `[${release.name || wanted.tag}](${release.htmlUrl})`],
      ['forge', forge.forgeName],
      ['outcome', outcome],
      ['prerelease', release.prerelease],
      ['draft', release.draft],
    ],
  );
  return createOutputs(release, created);
});
