import type { Flavour, ForgeAdapter } from './adapter.js';
import { forgejoAdapter } from './forgejo.js';
import { giteaAdapter } from './gitea.js';
import { githubAdapter } from './github.js';

export const ADAPTERS: Record<Flavour, ForgeAdapter> = {
  gitea: giteaAdapter,
  forgejo: forgejoAdapter,
  github: githubAdapter,
};
