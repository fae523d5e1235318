import { describe, expect, it } from 'vitest';
import { sortForInstall, sortHooks, splitManifests, toManifest } from './manifest.util.js';

describe('manifests', () => {
  it('splits on --- at line starts and drops empty documents', () => {
    expect(splitManifests('\n---\na: 1\n---  \nb: 2\n\n--- \n')).toEqual(['a: 1', 'b: 2']);
    expect(splitManifests('a: "x---y"')).toEqual(['a: "x---y"']);
    // Go's regexp consumes the blank lines after one separator, so a second one right after stays
    // in the next document, where YAML reads it as a document start: the same as Helm.
    expect(splitManifests('a: 1\n---\n\n---   \nb: 2')).toEqual(['a: 1', '---   \nb: 2']);
  });

  it('reads kind, name, namespace and hook annotations', () => {
    const m = toManifest(
      't.yaml',
      'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  namespace: ns\n  annotations:\n    helm.sh/hook: pre-install, pre-upgrade\n    helm.sh/hook-weight: "-5"\n    helm.sh/hook-delete-policy: hook-succeeded',
    )!;
    expect([m.kind, m.name, m.namespace]).toEqual(['Job', 'j', 'ns']);
    expect(m.hook).toEqual({
      events: ['pre-install', 'pre-upgrade'],
      weight: -5,
      deletePolicies: ['hook-succeeded'],
    });
  });

  it('skips a document of comments only and rejects one without kind', () => {
    expect(toManifest('t.yaml', '# nothing here')).toBeNull();
    expect(() => toManifest('t.yaml', 'metadata:\n  name: x')).toThrow(
      't.yaml: a rendered object lacks apiVersion or kind',
    );
    expect(() => toManifest('t.yaml', 'a: [')).toThrow('YAML parse error on t.yaml');
  });

  it('orders resources the way Helm installs them, and hooks by weight then name', () => {
    const make = (kind: string, name: string, weight?: number) =>
      toManifest(
        'x.yaml',
        `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}${weight === undefined ? '' : `\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: "${weight}"`}`,
      )!;
    // (`name: n` would be the YAML 1.1 boolean false, so the names are words.)
    const order = sortForInstall([
      make('Deployment', 'dep'),
      make('Widget', 'wid'),
      make('Service', 'svc'),
      make('ConfigMap', 'cfg'),
      make('Namespace', 'space'),
    ]);
    expect(order.map((m) => m.kind)).toEqual(['Namespace', 'ConfigMap', 'Service', 'Deployment', 'Widget']);
    const hooks = sortHooks([make('Job', 'job-b', 0), make('Secret', 'zz', -5), make('Job', 'job-a', 0)]);
    expect(hooks.map((m) => m.name)).toEqual(['zz', 'job-a', 'job-b']);
  });
});
