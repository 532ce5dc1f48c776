import { group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import { connectForge, isLostCreate, readForgeInputs } from '@forge-actions/forge';
import {
  chooseMakeLatest,
  createReleaseRequest,
  ensureRelease,
  type MakeLatestChoice,
  type OnExisting,
} from '@forge-actions/release';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked before the first request.
  const forgeInputs = readForgeInputs(inputs);
  const request = createReleaseRequest({
    tag: inputs.string('tag'),
    name: inputs.string('name'),
    body: inputs.text('body'),
    notesFile: inputs.string('notes-file'),
    notesFileExplicit: !inputs.isDefault('notes-file'),
    downloads: inputs.list('downloads'),
    prerelease: inputs.enum('prerelease', ['auto', 'true', 'false'] as const),
    prereleasePattern: inputs.string('prerelease-pattern'),
    draft: inputs.boolean('draft'),
    target: inputs.string('target'),
    workspace: runner.workspace,
  });
  const onExisting = inputs.enum<OnExisting>('on-existing', ['reuse', 'update', 'fail']);
  const makeLatest = inputs.enum<MakeLatestChoice>('make-latest', ['auto', 'true', 'false']);
  const timeoutMs = inputs.positiveInt('request-timeout') * 1000;

  const forge = await group('Connect', () =>
    connectForge({ ...forgeInputs, logger: log, http: { timeoutMs } }),
  );
  const { release, created, outcome } = await group(`Release for ${request.tag}`, () =>
    ensureRelease(forge, request, {
      onExisting,
      logger: log,
      isRetryableCreateFailure: isLostCreate,
      makeLatest: () =>
        chooseMakeLatest(forge, { tagName: request.tag, prerelease: request.prerelease }, makeLatest, log),
    }),
  );
  log.info(`${outcome} release ${release.id}: ${release.htmlUrl}`);

  await writeSummary(
    `Release ${request.tag}`,
    ['field', 'value'],
    [
      ['release', `[${release.name || request.tag}](${release.htmlUrl})`],
      ['forge', forge.flavour],
      ['outcome', outcome],
      ['prerelease', release.prerelease],
      ['draft', release.draft],
    ],
  );
  return {
    'release-id': release.id,
    'html-url': release.htmlUrl,
    'upload-url': release.uploadUrl,
    tag: release.tagName,
    prerelease: release.prerelease,
    draft: release.draft,
    created,
  };
});
