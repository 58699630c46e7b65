// GET /ui: the dashboard. Mount with app.use('/ui', createDashboard(...)); its API lives under /ui/api.
import express, { type Router } from 'express';
import { createDashboardApi, type DashboardApiOptions } from './api-router.ts';
import { createStaticRouter } from './static-files.ts';

export function createDashboard(options: DashboardApiOptions): Router {
  const router = express.Router();
  router.use('/api', express.json({ limit: '16kb' }), createDashboardApi(options));
  router.use('/', createStaticRouter());
  return router;
}
