import { visibleWidth } from './palette.util.js';

/**
 * A kubectl-style table: upper-case headers, columns padded to their widest cell (escape codes
 * do not count), three spaces between columns, no trailing spaces. Empty cells show `<none>`.
 */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const cells = [
    headers.map((h) => h.toUpperCase()),
    ...rows.map((r) => headers.map((_, i) => r[i] || '<none>')),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => visibleWidth(row[i]!))));
  return (
    cells
      .map((row) =>
        row
          .map((cell, i) =>
            i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visibleWidth(cell)),
          )
          .join('   ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** Seconds, minutes, hours or days since `iso`, the way kubectl shows an AGE. */
export function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
