// build-nsis as a whole: the request read from the inputs (every check before a tool is installed or a
// file is written), then tools, launchers, makensis and signing, each a phase of its own.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatBytes } from '@forge-actions/action-kit/bytes';
import type { InputReader, Phase, Runner } from '@forge-actions/action-kit/contract';
import { ActionError, InputError, type Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import { ensureTool, sha256File } from '@forge-actions/system';
import { builtinScriptPath, type Generated, readBuiltin, readScriptPayload } from './builtin-inputs.js';
import { applyLintPolicy } from './lint-policy.js';
import { plannedInstaller, runMakensis } from './makensis.js';
import { lintNsisScript } from './nsis-lint.js';
import { checkInstallerPlace, displayPathIn } from './paths.js';
import { type BuildPlan, planBuild } from './plan.js';
import {
  closeSigner,
  keySourceInput,
  openSigner,
  type SignResult,
  signFile,
  verifyUninstaller,
} from './sign.js';
import { readSigning, type Signing } from './sign-inputs.js';
import { checkVbsPolicy, findVbsFiles, type VbsFile, vbsLintFindings, writeVbsFixes } from './vbs-files.js';

export interface BuildRequest {
  plan: BuildPlan;
  /**
   * What build-nsis writes before makensis runs: template: builtin's script, payload include, manifest
   * and launcher; with template: script and dist-dir, the payload include and its manifest.
   */
  generated?: Generated;
  /** Whether build-nsis wrote the script (template: builtin): then only an include is the user's to lint. */
  builtin: boolean;
  vbsFiles: VbsFile[];
  vbsPolicy: 'fix' | 'error';
  lint: 'warn' | 'error' | 'off';
  /** What the lint found; already reported (and, with `lint: error`, already fatal). */
  findings: number;
  warningsAsErrors: boolean;
  reproducible: boolean;
  install: boolean;
  signing?: Signing;
  /** Paths for logs: relative to the workspace where they lie inside it, escaped. */
  display: (path: string) => string;
}

/**
 * Reads and checks every input, finds the launchers and applies the VBS policy and the lint: a failing
 * check leaves the machine and the tree untouched. `registerSecret` masks secrets found inside inputs
 * (a pin-value in sign-key-uri).
 */
export async function readBuildRequest(
  inputs: InputReader,
  workspace: string,
  logger: Logger,
  registerSecret: (value: string) => void,
): Promise<BuildRequest> {
  const template = inputs.enum('template', ['script', 'builtin'] as const);
  const plan = planBuild({
    script: template === 'builtin' ? builtinScriptPath(inputs) : inputs.string('script'),
    generatedBy: template === 'builtin' ? 'working-directory' : undefined,
    version: inputs.string('version'),
    defines: inputs.keyValues('defines'),
    workingDirectory: inputs.string('working-directory'),
    workspace,
  });
  const builtin = template === 'builtin';
  const generated = builtin
    ? readBuiltin(inputs, {
        cwd: plan.cwd,
        workspace,
        script: plan.script,
        version: inputs.string('version'),
      })
    : readScriptPayload(inputs, { cwd: plan.cwd, workspace, script: plan.script });
  for (const [key, value] of generated?.defines ?? []) {
    if (plan.defines.some(([given]) => given === key))
      throw new InputError('defines', `sets ${key}, which build-nsis passes itself for dist-dir`);
    plan.defines.push([key, value]);
  }
  const vbsPatterns = inputs.list('vbs');
  const vbsPolicy = inputs.enum('vbs-policy', ['fix', 'error'] as const);
  const lint = inputs.enum('lint', ['warn', 'error', 'off'] as const);
  const warningsAsErrors = inputs.boolean('warnings-as-errors');
  const reproducible = inputs.boolean('reproducible');
  const install = inputs.boolean('install');
  const signing = readSigning(inputs, plan.cwd, registerSecret, logger);
  const display = displayPathIn(workspace);
  const vbsFiles = await findVbsFiles(vbsPatterns, plan.cwd, workspace);
  if (vbsFiles.length === 0 && !inputs.isDefault('vbs')) {
    logger.warning(`vbs matched no files (${vbsPatterns.map(printable).join(', ')}) in ${display(plan.cwd)}`);
  }
  checkVbsPolicy(vbsFiles, vbsPolicy, display, logger);
  // A generated script is lint-clean by construction (its tests lint it): only the include is the user's.
  const linted = builtin ? generated?.include : plan.script;
  const findings =
    lint === 'off'
      ? []
      : [
          ...(linted ? lintNsisScript({ script: linted, defines: Object.fromEntries(plan.defines) }) : []),
          ...vbsLintFindings(vbsFiles),
        ];
  applyLintPolicy(findings, lint, display, logger);
  return {
    plan,
    generated,
    builtin,
    vbsFiles,
    vbsPolicy,
    lint,
    findings: findings.length,
    warningsAsErrors,
    reproducible,
    install,
    signing,
    display,
  };
}

export interface BuildReport {
  installer: string;
  sha256: string;
  size: number;
  fixed: number;
  warnings: number;
  /** The installer's signature. */
  signed?: SignResult;
  /** What was signed and verified: the installer, the uninstaller when the script writes one, the exe launcher. */
  signedFiles: Array<'installer' | 'uninstaller' | 'launcher'>;
}

/** Tools, launchers, makensis and signing for a checked request. */
export async function buildInstaller(
  request: BuildRequest,
  context: { runner: Runner; logger: Logger; phase: Phase },
): Promise<BuildReport> {
  const { plan, display } = request;
  const { runner, logger, phase } = context;
  const tools = await phase('Tools', async () => {
    const tool = { install: request.install, installInput: 'install', logger };
    const makensis = await ensureTool({ ...tool, program: 'makensis', aptPackage: 'nsis' });
    logger.info(`makensis: ${makensis}`);
    const osslsigncode = request.signing
      ? await ensureTool({ ...tool, program: 'osslsigncode', aptPackage: 'osslsigncode' })
      : undefined;
    if (osslsigncode) logger.info(`osslsigncode: ${osslsigncode}`);
    return { makensis, osslsigncode };
  });
  const { signing } = request;
  // Before anything is built: a PKCS#11 key is checked against its token here.
  const signer =
    signing && tools.osslsigncode
      ? await phase('Signing key', () =>
          openSigner(signing, {
            osslsigncode: tools.osslsigncode as string,
            tempRoot: runner.temp,
            cwd: plan.cwd,
            logger,
          }),
        )
      : undefined;
  try {
    // The script's OutFile decides where makensis writes: inside the workspace (or the runner's temp and
    // tool cache), symlinks resolved, checked before a launcher is rewritten or anything is built.
    const { generated } = request;
    if (generated) {
      await phase(request.builtin ? 'Installer script (template: builtin)' : 'Payload include', async () => {
        for (const folder of generated.folders) mkdirSync(folder, { recursive: true });
        for (const file of generated.files) {
          mkdirSync(dirname(file.path), { recursive: true });
          writeFileSync(file.path, file.content);
        }
        for (const file of generated.files) logger.info(`${display(file.path)}: written`);
        logger.info(
          `${generated.payloadEntries} payload files and folders, listed in install-manifest.txt` +
            (request.builtin ? '; copy the script out of build/ to adapt it' : ''),
        );
      });
    }
    const launcher = generated?.exeLauncher;
    const launcherSignature =
      launcher &&
      (await phase('Launcher (launcher: exe)', async () => {
        const built = await runMakensis(
          {
            makensis: tools.makensis,
            script: launcher.script,
            cwd: plan.cwd,
            defines: [],
            warningsAsErrors: true,
            reproducible: true,
            onLine: (line) => logger.info(printable(line)),
          },
          display,
        );
        if (built.installer !== launcher.exe)
          throw new ActionError(`makensis wrote the launcher to ${built.installer}, not ${launcher.exe}`);
        return signer ? signFile(signer, launcher.exe, 'launcher') : undefined;
      }));
    const makensis = { makensis: tools.makensis, script: plan.script, cwd: plan.cwd, defines: plan.defines };
    const planned = await plannedInstaller(makensis);
    if (planned) checkInstallerPlace(planned, runner.writableRoots, display(plan.script));
    const { vbsFiles } = request;
    const fixed =
      request.vbsPolicy === 'fix' && vbsFiles.length > 0
        ? await phase(`VBS launchers (${vbsFiles.length})`, async () =>
            writeVbsFixes(vbsFiles, display, logger),
          )
        : [];

    const built = await phase(`makensis ${display(plan.script)}`, () =>
      runMakensis(
        {
          ...makensis,
          warningsAsErrors: request.warningsAsErrors,
          reproducible: request.reproducible,
          onLine: (line) => logger.info(printable(line)),
          uninstFinalize: signer && {
            command: signer.uninstFinalize,
            input: keySourceInput(signer.signing.source),
          },
        },
        display,
      ),
    );
    // What the preprocessor could not foresee (an OutFile from !system output, say) is refused after all.
    checkInstallerPlace(built.installer, runner.writableRoots, display(plan.script));
    for (const warning of built.warnings) {
      const location = warning.location && {
        file: display(warning.location.file),
        line: warning.location.line,
      };
      logger.warning(`makensis: ${warning.message}`, location);
    }

    const signatures =
      signer &&
      (await phase('Sign', async () => ({
        uninstaller: await verifyUninstaller(signer),
        installer: await signFile(signer, built.installer, 'installer'),
      })));
    const signedFiles: BuildReport['signedFiles'] = [];
    if (signatures) signedFiles.push('installer');
    if (signatures?.uninstaller) signedFiles.push('uninstaller');
    if (launcherSignature) signedFiles.push('launcher');

    const sha256 = await sha256File(built.installer);
    const { size } = statSync(built.installer);
    logger.info(`${display(built.installer)}: ${formatBytes(size)}, sha256 ${sha256}`);
    return {
      installer: built.installer,
      sha256,
      size,
      fixed: fixed.length,
      warnings: built.warnings.length,
      signed: signatures?.installer,
      signedFiles,
    };
  } finally {
    if (signer) closeSigner(signer);
  }
}

/** The step summary's rows. */
export function buildSummaryRows(
  request: BuildRequest,
  report: BuildReport,
): Array<[string, string | number]> {
  const { signed } = report;
  const signature = signed
    ? `${new Intl.ListFormat('en').format(report.signedFiles)}: ${signed.signer}${signed.chainProblem ? ' (chain not verified here)' : ''}${signed.timestamped ? ', time-stamped' : ''}`
    : 'no';
  return [
    ['installer', request.display(report.installer)],
    ['size', formatBytes(report.size)],
    ['sha256', `\`${report.sha256}\``],
    ['version', request.plan.defines.find(([key]) => key === 'VERSION')?.[1] ?? '(not passed)'],
    ['signed', signature],
    ['VBS launchers', `${request.vbsFiles.length} checked, ${report.fixed} fixed`],
    ['lint findings', request.lint === 'off' ? 'off' : request.findings],
    ['makensis warnings', report.warnings],
  ];
}
