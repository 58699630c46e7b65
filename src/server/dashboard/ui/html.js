// htm bound to preact: JSX-like templates without a build step.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);

/** "3m ago" from an RFC 3339 time. */
export function ago(time) {
  if (!time) return '';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(time)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}

export const short = (revision) => (/^[0-9a-f]{40}$/.test(revision ?? '') ? revision.slice(0, 7) : (revision ?? ''));
