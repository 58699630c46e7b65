import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// src/localcluster and dist/localcluster both sit two levels below the project root.
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Project-local state: binary links, the cluster's kubeconfig and kwokctl's workdir. */
export const STATE_DIR = process.env.WREN_STATE_DIR ?? join(PROJECT_ROOT, '.wren');
export const BIN_LINK_DIR = join(STATE_DIR, 'bin');
export const CLUSTER_DIR = join(STATE_DIR, 'cluster');
export const KUBECONFIG_PATH = join(CLUSTER_DIR, 'kubeconfig');
export const KWOK_WORKDIR = join(CLUSTER_DIR, 'kwok');

/** Built binaries live outside the checkout, keyed by version, so every clone shares them. */
export const BINARY_CACHE_DIR = process.env.WREN_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'wren', 'bin');

export const INFRA_DIR = join(PROJECT_ROOT, 'test', 'infra');
