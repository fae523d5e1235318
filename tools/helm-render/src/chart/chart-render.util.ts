import { TemplateSet } from '../template/template-set.util.js';
import type { GoMap } from '../template/go-value.util.js';
import type { LoadedChart, RenderedChart, RenderedManifest, RenderOptions } from './chart.types.js';
import { coalesceValues, mergeUserValues } from './chart-values.util.js';
import { sortForInstall, sortHooks, splitManifests, toManifest } from './manifest.util.js';
import { DEFAULT_KUBE_VERSION, renderContext } from './render-context.util.js';
import { assertValidValues } from './values-schema.util.js';
import { assertKubeVersion } from './kube-version.util.js';

/**
 * `helm template`: coalesce values, check them against values.schema.json, render every
 * template, split the output into objects and separate hooks from regular resources.
 */
export function renderChart(chart: LoadedChart, options: RenderOptions): RenderedChart {
  assertKubeVersion(chart.metadata.kubeVersion, options.kubeVersion ?? DEFAULT_KUBE_VERSION);
  const values = coalesceValues(mergeUserValues(options.values ?? []), chart.values);
  if (chart.schema) assertValidValues(chart.metadata.name, chart.schema, values);
  const set = new TemplateSet();
  const names = templateNames(chart);
  // Helm parses deeper paths first and, at one depth, in reverse order, so `define`s in
  // alphabetically earlier files win; the same order keeps the same winner here.
  for (const name of [...names].sort(helmParseOrder))
    set.parse(name, chart.templates.get(name.slice(prefix(chart).length))!);
  const base = renderContext(chart.metadata, values, options);
  const files = new Map<string, string>();
  let notes = '';
  for (const name of names) {
    const file = name.split('/').pop()!;
    if (file.startsWith('_')) continue;
    const data: GoMap = { ...base, Template: { Name: name, BasePath: `${chart.metadata.name}/templates` } };
    // Helm's engine blanks every "<no value>" a missing value printed.
    const text = set.execute(name, data).replaceAll('<no value>', '');
    if (file === 'NOTES.txt') notes = text;
    else files.set(name, text);
  }
  const all: RenderedManifest[] = [];
  for (const [name, text] of files) {
    for (const doc of splitManifests(text)) {
      const manifest = toManifest(name, doc);
      if (manifest) all.push(manifest);
    }
  }
  return {
    values,
    files,
    manifests: sortForInstall(all.filter((m) => !m.hook)),
    hooks: sortHooks(all.filter((m) => m.hook)),
    notes,
  };
}

function prefix(chart: LoadedChart): string {
  return `${chart.metadata.name}/templates/`;
}

function templateNames(chart: LoadedChart): string[] {
  return [...chart.templates.keys()].map((path) => prefix(chart) + path).sort();
}

function helmParseOrder(a: string, b: string): number {
  const depth = (s: string) => s.split('/').length;
  return depth(b) - depth(a) || (a < b ? 1 : a > b ? -1 : 0);
}
