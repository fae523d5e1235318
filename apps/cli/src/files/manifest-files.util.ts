import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { HeliomeshError } from '@heliomesh/util';
import type { Io } from '../io/io.types.js';

/** One input file: its name as the user will recognise it, and its text. */
export interface SourceFile {
  name: string;
  text: string;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/**
 * The files behind `-f`: `-` is standard input, a file is read as is, a directory contributes
 * its .yaml, .yml and .json files in name order (its subdirectories too with `recursive`), like kubectl.
 */
export async function readSources(
  paths: readonly string[],
  io: Io,
  recursive = false,
): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  for (const given of paths) {
    if (given === '-') {
      out.push({ name: '<stdin>', text: await io.readStdin() });
      continue;
    }
    const full = resolve(io.cwd, given);
    if (!existsSync(full))
      throw new HeliomeshError({
        code: 'FILE_NOT_FOUND',
        status: 400,
        message: `${given}: no such file or directory; check the path given to -f.`,
      });
    if (statSync(full).isDirectory()) {
      const files = manifestsIn(full, recursive);
      if (!files.length)
        throw new HeliomeshError({
          code: 'FILE_NOT_FOUND',
          status: 400,
          message: `${given}: no .yaml, .yml or .json files${recursive ? '' : ' (add -R to read subdirectories)'}.`,
        });
      for (const f of files) out.push({ name: relative(io.cwd, f) || f, text: readFileSync(f, 'utf8') });
    } else {
      out.push({ name: given, text: readFileSync(full, 'utf8') });
    }
  }
  return out;
}

function manifestsIn(dir: string, recursive: boolean): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: string[] = [];
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (recursive && !e.name.startsWith('.')) out.push(...manifestsIn(p, true));
    } else if (MANIFEST.test(e.name)) out.push(p);
  }
  return out;
}
