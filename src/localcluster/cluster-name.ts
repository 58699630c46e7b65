export const CLUSTER_NAME = 'wren';
