// The external programs a sync runs. The operator finds them on PATH unless flags say otherwise; the
// image ships them, and the project's setup builds them from their Go modules for the tests.
export interface ToolPaths {
  git: string;
  kustomize: string;
  helm: string;
  sops: string;
}

export const DEFAULT_TOOL_PATHS: ToolPaths = { git: 'git', kustomize: 'kustomize', helm: 'helm', sops: 'sops' };
