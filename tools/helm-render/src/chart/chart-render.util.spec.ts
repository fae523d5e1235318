import { describe, expect, it } from 'vitest';
import type { LoadedChart, RenderOptions } from './chart.types.js';
import { renderChart } from './chart-render.util.js';

function chart(templates: Record<string, string>, extra: Partial<LoadedChart> = {}): LoadedChart {
  return {
    dir: '/charts/demo',
    metadata: { apiVersion: 'v2', name: 'demo', version: '1.2.3', appVersion: '4.5.6' },
    values: { replicas: 2, nested: { on: true } },
    schema: null,
    templates: new Map(Object.entries(templates)),
    ...extra,
  };
}

const options: RenderOptions = { release: { name: 'rel', namespace: 'ns' } };

/**
 * Renders `text` inside a ConfigMap value (Helm refuses documents that are not objects) and
 * returns what it printed.
 */
function probe(
  text: string,
  opts: RenderOptions = options,
  others: Record<string, string> = {},
  path = 'probe.yaml',
): string {
  const templates = {
    ...others,
    '_probe.tpl': `{{ define "probe" }}${text}{{ end }}`,
    [path]:
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: probe\ndata:\n  v: {{ include "probe" . | quote }}',
  };
  const r = renderChart(chart(templates), opts);
  return (r.manifests[0]!.object['data'] as { v: string }).v;
}

describe('the objects Helm gives templates', () => {
  it('.Release is a map of the release', () => {
    const text =
      '{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Revision }} {{ .Release.Service }} [{{ .Release.Nope }}]';
    expect(probe(text)).toBe('rel ns true false 1 Helm []');
    const upgrade = { release: { name: 'rel', namespace: 'ns', isUpgrade: true, revision: 7 } };
    expect(probe('{{ .Release.IsUpgrade }} {{ .Release.Revision }}', upgrade)).toBe('true 7');
  });

  it('.Chart is a struct: known fields read, unknown ones are an error', () => {
    expect(probe('{{ .Chart.Name }}-{{ .Chart.Version }}-{{ .Chart.AppVersion }}')).toBe('demo-1.2.3-4.5.6');
    expect(() => probe('{{ .Chart.Nope }}')).toThrow(
      'executing "probe" at <.Chart.Nope>: can\'t evaluate field Nope in type *chart.Metadata',
    );
  });

  it('.Capabilities has a fixed Kubernetes version and answers APIVersions.Has', () => {
    const text =
      '{{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}';
    expect(probe(text)).toBe('v1.31.0 31 true false');
    const withCrds = { ...options, kubeVersion: 'v1.29.4', apiVersions: ['monitoring.coreos.com/v1'] };
    expect(probe(text, withCrds)).toBe('v1.29.4 29 true true');
  });

  it('.Template names the file being rendered, also inside include and tpl', () => {
    const helpers = { '_helpers.tpl': '{{ define "where" }}{{ .Template.Name }}{{ end }}' };
    const text = '{{ .Template.BasePath }} {{ include "where" . }} {{ tpl "{{ .Template.Name }}" . }}';
    expect(probe(text, options, helpers, 'sub/b.yaml')).toBe(
      'demo/templates demo/templates/sub/b.yaml demo/templates/sub/b.yaml',
    );
  });
});

describe('rendering like helm template', () => {
  it('renders no partials, keeps NOTES.txt apart, and blanks <no value>', () => {
    const r = renderChart(
      chart({
        '_helpers.tpl': '{{ define "x" }}X{{ end }}',
        'NOTES.txt': 'Installed {{ .Release.Name }}',
        'cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "{{ .Values.missing }}"',
      }),
      options,
    );
    expect([...r.files.keys()]).toEqual(['demo/templates/cm.yaml']);
    expect(r.notes).toBe('Installed rel');
    expect(r.manifests[0]!.object['data']).toEqual({ a: '' });
  });

  it('lets the alphabetically first file win a define that several files declare, as Helm does', () => {
    const defines = {
      '_a.tpl': '{{ define "name" }}from a{{ end }}',
      '_b.tpl': '{{ define "name" }}from b{{ end }}',
    };
    expect(probe('{{ include "name" . }}', options, defines)).toBe('from a');
  });

  it('separates hooks from regular objects and skips empty output', () => {
    const r = renderChart(
      chart({
        'empty.yaml': '{{ if false }}apiVersion: v1{{ end }}\n',
        'job.yaml':
          'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    "helm.sh/hook": post-install\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s',
      }),
      options,
    );
    expect(r.manifests.map((m) => m.kind)).toEqual(['Service']);
    expect(r.hooks.map((m) => `${m.kind} ${m.hook!.events.join()}`)).toEqual(['Job post-install']);
  });

  it('checks values against the chart schema before rendering, with user values coalesced', () => {
    const schema = { type: 'object', properties: { replicas: { type: 'integer', maximum: 5 } } };
    const c = chart({}, { schema });
    expect(renderChart(c, { ...options, values: [{ replicas: 3 }] }).values['replicas']).toBe(3);
    expect(() => renderChart(c, { ...options, values: [{ replicas: 9 }] })).toThrow(
      '- $.replicas: should be <= 5',
    );
  });

  it('refuses a Kubernetes version outside the chart kubeVersion', () => {
    const c = chart(
      {},
      { metadata: { apiVersion: 'v2', name: 'demo', version: '1.0.0', kubeVersion: '>=1.30.0-0' } },
    );
    expect(() => renderChart(c, { ...options, kubeVersion: 'v1.29.0' })).toThrow(
      'incompatible with Kubernetes v1.29.0',
    );
  });
});
