export const GROUP = 'wren.dev';
export const API_VERSION_NAME = 'v1alpha1';
export const API_VERSION = `${GROUP}/${API_VERSION_NAME}`;
