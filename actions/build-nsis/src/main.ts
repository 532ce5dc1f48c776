import { statSync } from 'node:fs';
import { formatBytes, group, log, runAction, writeSummary } from '@forge-actions/action-kit';
import { printable } from '@forge-actions/action-kit/printable';
import {
  applyLintPolicy,
  checkInstallerPlace,
  checkVbsPolicy,
  decodePfx,
  displayPathIn,
  findVbsFiles,
  lintNsisScript,
  planBuild,
  plannedInstaller,
  runMakensis,
  signInstaller,
  vbsLintFindings,
  writeVbsFixes,
} from '@forge-actions/installer';
import { ensureTool, sha256File } from '@forge-actions/system';

await runAction(import.meta.url, async (inputs, runner) => {
  // Every input is read and checked before a tool is installed or a file is written.
  const { workspace } = runner;
  const plan = planBuild({
    script: inputs.string('script'),
    version: inputs.string('version'),
    defines: inputs.keyValues('defines'),
    workingDirectory: inputs.string('working-directory'),
    workspace,
  });
  const vbsPatterns = inputs.list('vbs');
  const vbsPolicy = inputs.enum('vbs-policy', ['fix', 'error'] as const);
  const lint = inputs.enum('lint', ['warn', 'error', 'off'] as const);
  const warningsAsErrors = inputs.boolean('warnings-as-errors');
  const reproducible = inputs.boolean('reproducible');
  const install = inputs.boolean('install');
  const password = inputs.secret('sign-password');
  const pfxText = inputs.secret('sign-pfx');
  const description = inputs.string('sign-description');
  const timestampUrl = inputs.url('sign-timestamp-url')?.href ?? '';
  const pfx = pfxText ? decodePfx(pfxText, password, log) : undefined;
  if (!pfx && password)
    log.warning('sign-password is set but sign-pfx is empty: the installer is not signed');
  const display = displayPathIn(workspace);
  const vbsFiles = await findVbsFiles(vbsPatterns, plan.cwd, workspace);
  if (vbsFiles.length === 0 && !inputs.isDefault('vbs')) {
    log.warning(`vbs matched no files (${vbsPatterns.map(printable).join(', ')}) in ${display(plan.cwd)}`);
  }

  // Checks, then tools, then writes: a failing policy or lint leaves the machine and the tree untouched.
  checkVbsPolicy(vbsFiles, vbsPolicy, display, log);
  const findings =
    lint === 'off'
      ? []
      : [
          ...lintNsisScript({ script: plan.script, defines: Object.fromEntries(plan.defines) }),
          ...vbsLintFindings(vbsFiles),
        ];
  applyLintPolicy(findings, lint, display, log);

  const tools = await group('Tools', async () => {
    const request = { install, installInput: 'install', logger: log };
    const makensis = await ensureTool({ ...request, program: 'makensis', aptPackage: 'nsis' });
    log.info(`makensis: ${makensis}`);
    const osslsigncode = pfx
      ? await ensureTool({ ...request, program: 'osslsigncode', aptPackage: 'osslsigncode' })
      : undefined;
    if (osslsigncode) log.info(`osslsigncode: ${osslsigncode}`);
    return { makensis, osslsigncode };
  });
  // The script's OutFile decides where makensis writes: inside the workspace (or the runner's temp and
  // tool cache), symlinks resolved, checked before a launcher is rewritten or anything is built.
  const roots = runner.writableRoots;
  const planned = await plannedInstaller({
    makensis: tools.makensis,
    script: plan.script,
    cwd: plan.cwd,
    defines: plan.defines,
  });
  if (planned) checkInstallerPlace(planned, roots, display(plan.script));
  const fixed =
    vbsPolicy === 'fix' && vbsFiles.length > 0
      ? await group(`VBS launchers (${vbsFiles.length})`, async () => writeVbsFixes(vbsFiles, display, log))
      : [];

  const built = await group(`makensis ${display(plan.script)}`, () =>
    runMakensis(
      {
        makensis: tools.makensis,
        script: plan.script,
        cwd: plan.cwd,
        defines: plan.defines,
        warningsAsErrors,
        reproducible,
        onLine: (line) => log.info(printable(line)),
      },
      display,
    ),
  );
  // What the preprocessor could not foresee (an OutFile from !system output, say) is refused after all.
  checkInstallerPlace(built.installer, roots, display(plan.script));
  for (const warning of built.warnings) {
    const location = warning.location && {
      file: display(warning.location.file),
      line: warning.location.line,
    };
    log.warning(`makensis: ${warning.message}`, location);
  }

  const signed =
    pfx && tools.osslsigncode
      ? await group('Sign', () =>
          signInstaller({
            osslsigncode: tools.osslsigncode as string,
            installer: built.installer,
            pfx,
            password,
            description,
            timestampUrl,
            tempRoot: runner.temp,
            logger: log,
          }),
        )
      : undefined;

  const sha256 = await sha256File(built.installer);
  const { size } = statSync(built.installer);
  log.info(`${display(built.installer)}: ${formatBytes(size)}, sha256 ${sha256}`);
  const signature = signed
    ? `${signed.signer}${signed.chainVerified ? '' : ' (chain not verified here)'}${signed.timestamped ? ', time-stamped' : ''}`
    : 'no';
  await writeSummary(
    'NSIS installer',
    ['item', 'value'],
    [
      ['installer', display(built.installer)],
      ['size', formatBytes(size)],
      ['sha256', `\`${sha256}\``],
      ['version', plan.defines.find(([key]) => key === 'VERSION')?.[1] ?? '(not passed)'],
      ['signed', signature],
      ['VBS launchers', `${vbsFiles.length} checked, ${fixed.length} fixed`],
      ['lint findings', lint === 'off' ? 'off' : findings.length],
      ['makensis warnings', built.warnings.length],
    ],
  );
  return { installer: built.installer, sha256, size, 'vbs-fixed': fixed.length };
});
