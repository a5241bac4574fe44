import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerStarting } from './starting';

describe('answerStarting', () => {
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    server = http.createServer(answerStarting);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tells a browser in both languages, on a page that reloads itself, and any other client in one word; 503 with Retry-After either way', async () => {
    const page = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('1');
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="2">');
    expect(html).toContain('wekf 正在启动');
    expect(html).toContain('wekf is starting');
    expect(html).not.toMatch(/<script|<style|style=/);

    const api = await fetch(`${url}api/wechat`, { method: 'POST', body: '<xml/>' });
    expect(api.status).toBe(503);
    expect(await api.text()).toBe('starting');
  });
});
