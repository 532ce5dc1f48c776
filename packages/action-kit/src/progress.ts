import type { Logger } from './errors.js';

const MIB = 1024 * 1024;

/**
 * A progress callback for long transfers that logs at every tenth of the total (or every 64 MiB when
 * the total is unknown), so a log shows movement without a line per chunk.
 */
export function progressLogger(
  label: string,
  logger: Pick<Logger, 'info'>,
): (bytes: number, total: number | undefined) => void {
  let nextMark = 0;
  return (bytes, total) => {
    if (bytes < nextMark) return;
    if (total && total > 0) {
      const tenth = Math.floor((bytes / total) * 10);
      logger.info(
        `${label}: ${tenth * 10}% (${(bytes / MIB).toFixed(1)} of ${(total / MIB).toFixed(1)} MiB)`,
      );
      nextMark = Math.min(total, Math.ceil(((tenth + 1) / 10) * total));
      if (bytes >= total) nextMark = Number.POSITIVE_INFINITY;
    } else {
      logger.info(`${label}: ${(bytes / MIB).toFixed(1)} MiB`);
      nextMark = bytes + 64 * MIB;
    }
  };
}
