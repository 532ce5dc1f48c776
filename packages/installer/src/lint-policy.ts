import { ActionError, type Logger } from '@forge-actions/action-kit/errors';
import { printable } from '@forge-actions/action-kit/printable';
import type { LintFinding } from './nsis-lint.js';

/**
 * Reports lint findings as warnings annotated with their file and line; with `lint: error` the
 * first one then fails the step (all of them are still annotated, so one run shows every problem).
 */
export function applyLintPolicy(
  findings: LintFinding[],
  mode: 'warn' | 'error' | 'off',
  displayPath: (path: string) => string,
  logger: Logger,
): void {
  if (mode === 'off') return;
  for (const finding of findings) {
    const file = displayPath(finding.file);
    logger.warning(`${file}:${finding.line}: ${printable(finding.message)} [${finding.rule}]`, {
      file,
      line: finding.line,
    });
  }
  const [first] = findings;
  if (mode === 'error' && first) {
    const file = displayPath(first.file);
    const more =
      findings.length > 1 ? ` (and ${findings.length - 1} more lint finding(s), see the warnings)` : '';
    throw new ActionError(
      `Lint (lint: error) failed at ${file}:${first.line}: ${printable(first.message)}${more}`,
      {
        file,
        line: first.line,
      },
    );
  }
}
