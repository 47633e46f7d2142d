/**
 * @module
 * The push-ingest floor: a bare Hono app on `@hono/node-server` with one route that parses the
 * JSON body and answers 200. Run as a child process, like buildcast, so both pay the same
 * process costs and the ratio shows what buildcast's own work costs.
 *
 * `node dist/bench/floor-push.js` prints `floor listening on http://127.0.0.1:PORT`.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.post('/api/phase-update', async (c) => {
  await c.req.json();
  return c.json({ ok: true });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`floor listening on http://127.0.0.1:${info.port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
