#!/usr/bin/env node
// kubectl's plugin entry: kubectl finds the executable kubectl-wren on PATH and runs it for
// `kubectl wren ...` with the arguments after the plugin name and its own environment (KUBECONFIG),
// as it does for `kubectl argo rollouts`. The commands are the wren CLI's own.
import './main.ts';
