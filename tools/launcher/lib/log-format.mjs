const LEVEL_COLOURS = { trace: 90, debug: 90, info: 32, warn: 33, error: 31, fatal: 35 };
const OMIT = new Set(['level', 'time', 'service', 'msg', 'pid', 'hostname']);

/**
 * Turns one JSON log line into `HH:MM:SS level message key=value`, so several services'
 * output stays readable side by side. Lines that are not JSON pass through unchanged.
 * @param {string} line
 * @param {boolean} colour
 */
export function formatLogLine(line, colour) {
  if (!line.startsWith('{')) return line;
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = String(entry.level ?? 'info');
  const paint = (code, text) => (colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const extras = Object.entries(entry)
    .filter(([key]) => !OMIT.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${paint(90, time)} ${paint(LEVEL_COLOURS[level] ?? 0, level.padEnd(5))} ${entry.msg ?? ''}${extras ? ` ${paint(90, extras)}` : ''}`;
}
