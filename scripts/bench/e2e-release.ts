// Journey 1 of the end-to-end tests (a tag push running action-docs/examples/release.yml with the
// published suite, all jobs against local services) timed by act itself: each step's execution time,
// and each job's as the sum of its steps, medians over the runs, slowest first, so the step that
// bounds a release is known.

import {
  publishedSuite,
  runJourney,
  scratch,
  startJourney,
  startServices,
} from '@forge-actions/testing/e2e-world';
import { type Benchmark, type BenchRow, median, seconds } from './_support.js';

/** act's JSON log lines that close a step: which job, which step, how long (nanoseconds). */
interface StepLine {
  job?: string;
  step?: string;
  stage?: string;
  /** The step's place: one index for a job's own steps, more for steps inside a composite action. */
  stepID?: string[];
  executionTime?: number;
}

export const benchmark: Benchmark = {
  id: 'e2e-release',
  title: 'Journey 1 (tag push → release.yml, every job) under act: wall time, per job and per step',
  async run({ runs, log }) {
    const work = scratch('bench-e2e');
    const rounds = Math.min(runs, 3);
    const steps = new Map<string, number[]>();
    const jobs = new Map<string, number[]>();
    const walls: number[] = [];
    try {
      const suite = await publishedSuite(work.root);
      const services = await startServices(work.root);
      try {
        for (let round = 0; round < rounds; round++) {
          const journey = await startJourney(work.root);
          const started = performance.now();
          const run = await runJourney(journey, suite, services, {
            event: 'push',
            workflow: 'release.yml',
            json: true,
          });
          walls.push(performance.now() - started);
          await journey.server.close();
          if (run.code !== 0) throw new Error(`journey 1 failed (act exit ${run.code})`);
          const perJob = new Map<string, number>();
          for (const line of run.output.split('\n')) {
            if (!line.startsWith('{')) continue;
            const entry = JSON.parse(line) as StepLine;
            if (!entry.job || !entry.step || entry.executionTime === undefined) continue;
            const job = entry.job.trim().replace(/^release\.yml\//, '');
            const ms = entry.executionTime / 1e6;
            const place = entry.stepID ?? [];
            // A composite's own entry covers its inner steps: those are listed, not counted again.
            const name = `${entry.stage ?? ''} ${entry.step.split('\n')[0]}${place.length > 1 ? ` (inner step ${place.join('.')})` : ''}`;
            const key = `${job}\u0000${name.trim()}`;
            steps.set(key, [...(steps.get(key) ?? []), ms]);
            if (place.length <= 1) perJob.set(job, (perJob.get(job) ?? 0) + ms);
          }
          for (const [job, ms] of perJob) jobs.set(job, [...(jobs.get(job) ?? []), ms]);
          log(`round ${round + 1}: ${seconds(walls.at(-1) ?? 0)} s`);
        }
      } finally {
        await services.close();
      }
    } finally {
      work.remove();
    }
    const rows: BenchRow[] = [
      {
        what: 'workflow',
        job: 'all (jobs run in parallel)',
        step: '',
        runs: rounds,
        'median s': seconds(median(walls)),
      },
    ];
    for (const [job, times] of [...jobs].sort((a, b) => median(b[1]) - median(a[1]))) {
      rows.push({
        what: 'job',
        job,
        step: '(sum of its steps)',
        runs: times.length,
        'median s': seconds(median(times)),
      });
    }
    for (const [key, times] of [...steps].sort((a, b) => median(b[1]) - median(a[1]))) {
      const [job, step] = key.split('\u0000');
      rows.push({
        what: 'step',
        job,
        step: step.trim(),
        runs: times.length,
        'median s': seconds(median(times)),
      });
    }
    return rows;
  },
};
