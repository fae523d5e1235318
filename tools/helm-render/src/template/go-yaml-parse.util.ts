import { parseAllDocuments, type ScalarTag, type Tags } from 'yaml';
import { resolveGoYamlScalar } from './go-yaml-scalar.util.js';
import { HeliomeshError } from '@heliomesh/util';

/**
 * Reads YAML the way Helm and kubectl do (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1, so `yes`,
 * `on` and `0755` are a bool and an octal int, but timestamps and sexagesimal numbers stay
 * strings, as go-yaml v2 leaves them when decoding into interface{}.
 */

/**
 * Resolves every plain scalar with go-yaml's rules. It comes first and matches any text, so the
 * `yaml` package's own YAML 1.1 tags only serve explicit tags such as `!!int`.
 */
const GO_PLAIN_SCALAR: ScalarTag = {
  tag: 'tag:heliomesh.dev,2024:go-yaml-plain',
  default: true,
  test: /(?:)/,
  resolve: (text: string) => resolveGoYamlScalar(text),
};

const GO_YAML_TAGS = (tags: Tags): Tags => [
  GO_PLAIN_SCALAR,
  ...tags.filter((t) => {
    const tag = t as { tag?: string; format?: string };
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
  }),
];

export function parseGoYamlDocuments(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text, { version: '1.1', customTags: GO_YAML_TAGS, uniqueKeys: true });
  if (!Array.isArray(docs)) return [];
  return docs.map((doc) => {
    const error = doc.errors[0];
    if (error) {
      throw new HeliomeshError({
        code: 'YAML_PARSE_ERROR',
        status: 422,
        message: `YAML parse error on ${source}: ${error.message}`,
        path: [source],
      });
    }
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  });
}

/** One document; an empty text is null, as in go-yaml. */
export function parseGoYaml(text: string, source: string): unknown {
  const docs = parseGoYamlDocuments(text, source);
  if (docs.length > 1) {
    throw new HeliomeshError({
      code: 'YAML_PARSE_ERROR',
      status: 422,
      message: `${source} holds ${docs.length} YAML documents; expected one`,
      path: [source],
    });
  }
  return docs[0] ?? null;
}
