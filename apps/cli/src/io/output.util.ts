import { InvalidArgumentError } from 'commander';
import { stringify } from 'yaml';
import { assertUnreachable } from '@heliomesh/util';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Parses `-o`; commander shows the message with the option name. */
export function parseOutputFormat(value: string): OutputFormat {
  const format = OUTPUT_FORMATS.find((f) => f === value);
  if (!format) throw new InvalidArgumentError(`use one of ${OUTPUT_FORMATS.join(', ')}.`);
  return format;
}

/** Machine-readable output: the API's own objects, unchanged, so scripts see what the API sends. */
export function formatData(data: unknown, format: Exclude<OutputFormat, 'table'>): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`;
    case 'yaml':
      return stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
    default:
      return assertUnreachable(format, 'output format');
  }
}
