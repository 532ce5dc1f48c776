// download-win-wheels' inputs and what it reports: the request read from the action's inputs (index
// credentials registered as secrets first), the step summaries and the outputs.
import { formatBytes } from '@forge-actions/action-kit/bytes';
import type { InputReader } from '@forge-actions/action-kit/contract';
import { extractLimitsFromInputs } from '@forge-actions/archive/extract';
import type { WheelReport } from './download.js';
import { checkWheelInputs, type WheelRequest } from './request.js';

export function readWheelRequest(inputs: InputReader, workspace: string): WheelRequest {
  // Credentials in the index URLs are secrets before anything can print them.
  const indexUrl = inputs.urlText('index-url');
  const extraIndexUrls = inputs.urlList('extra-index-url');
  return checkWheelInputs({
    requirements: inputs.list('requirements'),
    requirementsFile: inputs.string('requirements-file'),
    constraints: inputs.list('constraints'),
    pythonVersion: inputs.string('python-version'),
    pythonVersionIsDefault: inputs.isDefault('python-version'),
    pythonVersionFile: inputs.string('python-version-file'),
    platform: inputs.string('platform'),
    implementation: inputs.string('implementation'),
    wheelDir: inputs.string('wheel-dir'),
    sitePackages: inputs.string('site-packages'),
    allowSdistFallback: inputs.boolean('allow-sdist-fallback'),
    engine: inputs.string('engine'),
    indexUrl,
    extraIndexUrls,
    cleanup: inputs.string('cleanup'),
    remove: inputs.list('remove'),
    uvVersion: inputs.string('uv-version'),
    workspace,
    extractLimits: extractLimitsFromInputs((name) => inputs.positiveInt(name)),
  });
}

/** The step summaries: the wheels, then site-packages before and after cleanup when installed. */
export function wheelSummaries(report: WheelReport): Array<[string, string[], string[][]]> {
  const wheels: [string, string[], string[][]] = [
    `Wheels for ${report.target} (${report.engine})`,
    ['wheel', 'version', 'file', 'size', 'from'],
    report.wheels.map((w) => [
      w.name,
      w.version,
      w.file,
      formatBytes(w.size),
      w.built ? 'built from sdist' : 'index',
    ]),
  ];
  if (!report.sitePackagesDir) return [wheels];
  return [
    wheels,
    [
      'site-packages',
      ['folder', 'before cleanup', 'after cleanup'],
      [[report.sitePackagesDir, formatBytes(report.sizeBefore ?? 0), formatBytes(report.sizeAfter ?? 0)]],
    ],
  ];
}

export function wheelOutputs(report: WheelReport) {
  return {
    'wheel-dir': report.wheelDir,
    wheels: JSON.stringify(report.wheels),
    'site-packages-dir': report.sitePackagesDir,
    'size-before': report.sizeBefore,
    'size-after': report.sizeAfter,
  };
}
