import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './service-process.util.js';
import { TcpProxy, viaProxy } from './tcp-proxy.util.js';

let echo: net.Server;
let echoPort: number;

beforeAll(async () => {
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
  echoPort = (echo.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((r) => echo.close(() => r()));
});

function roundTrip(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('ping'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString());
    });
    socket.once('error', reject);
  });
}

describe('TcpProxy', () => {
  it('relays, refuses while cut, and relays again on the same port after a restore', async () => {
    const proxy = new TcpProxy('127.0.0.1', echoPort);
    const port = await proxy.start();
    expect(await roundTrip(port)).toBe('ping');
    await proxy.cut();
    await expect(roundTrip(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await proxy.restore();
    expect(proxy.listeningPort).toBe(port);
    expect(await roundTrip(port)).toBe('ping');
    await proxy.cut();
  });

  it('rewrites a URL to go through the proxy', () => {
    const proxy = new TcpProxy('db', 5432);
    expect(viaProxy('postgres://u@db:5432/x', proxy)).toBe('postgres://u@127.0.0.1:0/x');
  });
});

describe('eventually', () => {
  it('returns the first truthy value, and fails with the last error after the timeout', async () => {
    let n = 0;
    expect(await eventually(async () => ++n >= 3 && n, 1_000, 1)).toBe(3);
    await expect(eventually(async () => Promise.reject(new Error('never')), 50, 5)).rejects.toThrow(
      /not within 50 ms: never/,
    );
  });
});
