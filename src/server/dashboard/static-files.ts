// The dashboard's page: its own browser modules (ui/, plain ES modules, no build step) and the
// libraries they import, served from node_modules so the operator needs no CDN at run time.
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

const UI_DIR = fileURLToPath(new URL('./ui/', import.meta.url));

/** URL under /ui/vendor/ -> the package file behind it (resolved once, at start). */
const VENDOR: Record<string, string> = {
  'preact.mjs': 'preact',
  'preact-hooks.mjs': 'preact/hooks',
  'htm.mjs': 'htm',
  'uplot.mjs': 'uplot/dist/uPlot.esm.js',
  'uplot.css': 'uplot/dist/uPlot.min.css',
};

export function createStaticRouter(): Router {
  const router = express.Router();
  for (const [file, specifier] of Object.entries(VENDOR)) {
    const path = fileURLToPath(import.meta.resolve(specifier));
    router.get(`/vendor/${file}`, (_request, response) => {
      response.sendFile(path, { maxAge: '1h' });
    });
  }
  router.use(express.static(UI_DIR, { index: 'index.html', fallthrough: true }));
  return router;
}
