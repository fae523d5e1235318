import type { Palette } from './palette.util.js';

/** A unified diff with additions green, removals red and headers bold, like `git diff`. */
export function colourDiff(diff: string, p: Palette): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return p.bold(line);
      if (line.startsWith('@@')) return p.cyan(line);
      if (line.startsWith('+')) return p.green(line);
      if (line.startsWith('-')) return p.red(line);
      return line;
    })
    .join('\n');
}
