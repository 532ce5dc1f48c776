import type { Flavour, ForgeAdapter } from './adapter.js';
import { giteaAdapter } from './gitea.js';
import { githubAdapter } from './github.js';

export const ADAPTERS: Record<Flavour, ForgeAdapter> = { gitea: giteaAdapter, github: githubAdapter };
