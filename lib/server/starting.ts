// What the listener answers before start-up is done (server.ts listens first, so a port in use stops
// the start before anything else): 503 with Retry-After. A browser opened meanwhile (a restart, the
// first start's migrations) gets a page that says so and reloads itself, in both languages, rather
// than a bare "starting". No script and no style: nothing a Content-Security-Policy would refuse.
import type http from 'node:http';

const STARTING_PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2"><meta name="viewport" content="width=device-width, initial-scale=1"><title>wekf</title></head><body><p>wekf 正在启动，页面会自动刷新……</p><p lang="en">wekf is starting; this page reloads by itself…</p></body></html>`;

export function answerStarting(req: http.IncomingMessage, res: http.ServerResponse): void {
  const browser = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
  res.writeHead(503, { 'content-type': browser ? 'text/html; charset=utf-8' : 'text/plain', 'retry-after': '1', 'cache-control': 'no-store' });
  res.end(browser ? STARTING_PAGE : 'starting');
}
