/**
 * @module
 * The live-latency floor: the least a server can do to turn a file write into a WebSocket
 * frame. `fs.watch` on each build's `.context-foundry` folder → read the file → parse → send
 * one frame to every client (skipping a read identical to the last one sent, as any server
 * must). Run as a child process, like buildcast, so both pay the same process costs.
 *
 * `node dist/bench/floor-watch.js --root DIR` prints `floor listening on http://127.0.0.1:PORT`.
 */
import { readdirSync, readFile, watch, type FSWatcher } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { compactTime } from './phase.js';

const rootAt = process.argv.indexOf('--root');
const root = rootAt === -1 ? undefined : process.argv[rootAt + 1];
if (!root) {
  console.error('usage: floor-watch --root DIR');
  process.exit(2);
}

const server = http.createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (socket) => {
  socket.send(JSON.stringify({ type: 'hello', protocol: 1, serverTime: new Date().toISOString() }));
  socket.send(JSON.stringify({ type: 'snapshot', sessions: [] }));
});

const lastSent = new Map<string, string>();
function readAndSend(file: string): void {
  readFile(file, 'utf8', (error, text) => {
    if (error || text === lastSent.get(file)) return;
    let phase: Record<string, unknown>;
    try {
      phase = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return; // Caught mid-write; the write's next event brings the whole file.
    }
    lastSent.set(file, text);
    const id = `${String(phase['session_id'])}-${compactTime(String(phase['started_at']))}`;
    const frame = JSON.stringify({
      type: 'session',
      session: { id, progressDetail: phase['progress_detail'], phase },
    });
    for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(frame);
  });
}

const watchers: FSWatcher[] = [];
for (const entry of readdirSync(root, { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  const folder = path.join(root, entry.name, '.context-foundry');
  try {
    watchers.push(
      watch(folder, (_event, name) => {
        if (name === 'current-phase.json') readAndSend(path.join(folder, name));
      }),
    );
  } catch {
    // Not a build folder.
  }
}

server.listen(0, '127.0.0.1', () => {
  console.log(`floor listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () => {
  for (const watcher of watchers) watcher.close();
  for (const client of wss.clients) client.terminate();
  wss.close();
  server.close(() => process.exit(0));
});
