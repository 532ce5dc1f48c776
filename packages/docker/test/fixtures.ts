// Inputs the docker package's tests start from.
import type { BuildxInputs } from '../src/builder.js';
import type { PlanInput } from '../src/plan.js';

/** No buildx-only input set. */
export const NO_BUILDX: BuildxInputs = {
  platforms: [],
  cacheFrom: [],
  cacheTo: [],
  secrets: [],
  provenance: false,
  sbom: false,
};

/** A stable v1.2.0 of owner/app on a Gitea registry, nothing optional asked for. */
export const BASE_PLAN: PlanInput = {
  registry: 'gitea.example.com',
  image: 'owner/app',
  version: 'v1.2.0',
  extraTags: [],
  latest: 'auto',
  floating: { major: false, minor: false },
  shaTag: false,
  buildArgs: [],
  labels: [],
  created: '2026-01-01T00:00:00Z',
};
