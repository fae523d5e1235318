import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { HeliomeshError } from '@heliomesh/util';
import type { ChartMetadata, LoadedChart } from './chart.types.js';
import { toGoMap } from './chart-values.util.js';
import { parseGoYaml } from '../template/go-yaml-parse.util.js';

/** Reads a chart directory: Chart.yaml, values.yaml, values.schema.json and templates/. */
export async function loadChart(dir: string): Promise<LoadedChart> {
  const metadata = parseMetadata(await readText(join(dir, 'Chart.yaml')), dir);
  const valuesText = await readText(join(dir, 'values.yaml'), '');
  const schemaText = await readText(join(dir, 'values.schema.json'), null);
  const templates = new Map<string, string>();
  for (const file of await listFiles(join(dir, 'templates'))) {
    templates.set(relative(join(dir, 'templates'), file).split(sep).join('/'), await readText(file));
  }
  return {
    dir,
    metadata,
    values: toGoMap(parseGoYaml(valuesText, 'values.yaml'), 'values.yaml'),
    schema: schemaText === null ? null : parseSchema(schemaText),
    templates,
  };
}

/** Reads a values file (`-f`) into template values. */
export async function loadValuesFile(path: string): Promise<ReturnType<typeof toGoMap>> {
  return toGoMap(parseGoYaml(await readText(path), path), path);
}

async function readText<T extends string | null>(path: string, fallback?: T): Promise<string | T> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if (fallback !== undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw new HeliomeshError({
      code: 'CHART_FILE_UNREADABLE',
      status: 422,
      message: `cannot read ${path}: ${String(e)}`,
      cause: e,
    });
  }
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

function parseMetadata(text: string, dir: string): ChartMetadata {
  const raw = parseGoYaml(text, 'Chart.yaml') as Partial<ChartMetadata> | null;
  const missing = (['apiVersion', 'name', 'version'] as const).filter(
    (k) => typeof raw?.[k] !== 'string' || raw[k] === '',
  );
  if (!raw || missing.length > 0) {
    throw new HeliomeshError({
      code: 'CHART_INVALID',
      status: 422,
      message: `${dir}/Chart.yaml must set ${missing.join(', ')}`,
      path: ['Chart.yaml', missing[0] ?? ''],
    });
  }
  if (raw.apiVersion !== 'v2') {
    throw new HeliomeshError({
      code: 'CHART_INVALID',
      status: 422,
      message: `${dir}/Chart.yaml: apiVersion must be v2 (Helm 3 charts); found ${String(raw.apiVersion)}`,
      path: ['Chart.yaml', 'apiVersion'],
    });
  }
  return raw as ChartMetadata;
}

function parseSchema(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new HeliomeshError({
      code: 'CHART_INVALID',
      status: 422,
      message: `values.schema.json is not JSON: ${String(e)}`,
      cause: e,
    });
  }
}
