import net from 'node:net';

/**
 * Checks that a TCP service answers before anything is built or started, so a missing Postgres
 * or Redis is reported in seconds with the URL tried and how to start it.
 * @param {{ name: string, url: string, defaultPort: number, howToStart: string }} dep
 * @param {number} deadlineMs
 * @returns {Promise<string | undefined>} an error line, or undefined when reachable
 */
export async function checkReachable(dep, deadlineMs) {
  const u = new URL(dep.url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || dep.defaultPort);
  const until = Date.now() + deadlineMs;
  let lastError = 'no answer';
  while (Date.now() < until) {
    lastError = await tryConnect(host, port, Math.min(2_000, Math.max(200, until - Date.now())));
    if (!lastError) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
  return `Cannot reach ${dep.name} at ${redact(dep.url)} (${lastError}). ${dep.howToStart}`;
}

/** @returns {Promise<string>} '' when connected, else the error */
function tryConnect(host, port, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(`timed out after ${timeoutMs} ms`));
    socket.once('connect', () => done(''));
    socket.once('error', (err) => done(err.code ?? err.message));
  });
}

export function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
