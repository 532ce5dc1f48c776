// What linux-portable reports: the step summary and the outputs.
import { formatBytes } from '@forge-actions/action-kit/bytes';
import type { LinuxPortableReport } from './build.js';

export function linuxPortableSummary(report: LinuxPortableReport): [string, string[], string[][]] {
  return [
    'Linux portable build',
    ['item', 'value'],
    [
      ['archive', report.archive],
      ['size', formatBytes(report.size)],
      ['sha256', report.sha256],
      ['entries', String(report.entries)],
      ['Python', `${report.pythonVersion} (${report.pythonSource})`],
      [
        'site-packages',
        `${formatBytes(report.sitePackagesBefore)} → ${formatBytes(report.sitePackagesAfter)} after cleanup`,
      ],
      ['scripts', report.scripts.join(', ')],
    ],
  ];
}

export function linuxPortableOutputs(report: LinuxPortableReport) {
  return { archive: report.archive, sha256: report.sha256, size: report.size, 'dist-dir': report.distDir };
}
