#!/usr/bin/env node
// Generates src/istio/istio-schemas.gen.ts: structural (CRD-style) schemas of every Istio kind the sandbox
// registers, read from the TypeScript declarations of @kubernetes-models/istio. That package ships its
// JSON schemas only as precompiled ajv validators (which accept unknown fields), so the declarations are
// the only machine-readable source of the field structure we need for pruning, strict field validation,
// server-side apply and /openapi/v3. Run: node tools/kube-sim/scripts/generate-istio-schemas.mjs
// (`--check` only compares with the checked-in file and exits 1 when they differ).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(
  require.resolve('@kubernetes-models/istio/package.json', { paths: [join(here, '..', '..', '..')] }),
);
const groups = ['networking.istio.io', 'security.istio.io', 'extensions.istio.io', 'telemetry.istio.io'];
const skipKinds = new Set(['ProxyConfig']);

const files = [];
for (const group of groups) {
  for (const version of readdirSync(join(pkgDir, group), { withFileTypes: true })) {
    if (!version.isDirectory()) continue;
    for (const f of readdirSync(join(pkgDir, group, version.name))) {
      if (!f.endsWith('.d.ts') || f === 'index.d.ts') continue;
      const kind = f.replace(/\.d\.ts$/, '');
      if (skipKinds.has(kind)) continue;
      files.push({ group, version: version.name, kind, path: join(pkgDir, group, version.name, f) });
    }
  }
}

const program = ts.createProgram(
  files.map((f) => f.path),
  {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  },
);
const checker = program.getTypeChecker();

function constituents(type) {
  if (type.isUnion() || type.isIntersection()) return type.types.flatMap(constituents);
  return [type];
}

function mergeSchemas(a, b) {
  if (!a) return b;
  if (!b) return a;
  if (a.type === 'object' && b.type === 'object') {
    const out = { ...a };
    if (a.properties || b.properties) {
      out.properties = { ...(a.properties ?? {}) };
      for (const [k, v] of Object.entries(b.properties ?? {}))
        out.properties[k] = mergeSchemas(out.properties[k], v);
    }
    if (b.additionalProperties && !a.additionalProperties) out.additionalProperties = b.additionalProperties;
    if (b['x-kubernetes-preserve-unknown-fields']) out['x-kubernetes-preserve-unknown-fields'] = true;
    return out;
  }
  if (a.type === 'array' && b.type === 'array')
    return { type: 'array', items: mergeSchemas(a.items, b.items) };
  if (a.type === 'string' && b.type === 'string') {
    if (a.enum && b.enum) return { type: 'string', enum: [...new Set([...a.enum, ...b.enum])] };
    return { type: 'string' };
  }
  return a;
}

const inProgress = new Set();

function schemaOf(type, depth) {
  if (depth > 40) return { 'x-kubernetes-preserve-unknown-fields': true };
  const flags = type.getFlags();
  if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown))
    return { 'x-kubernetes-preserve-unknown-fields': true };
  const parts = constituents(type).filter(
    (t) => !(t.getFlags() & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Never)),
  );
  if (parts.length === 0) return { 'x-kubernetes-preserve-unknown-fields': true };
  const isString = (t) => t.getFlags() & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral);
  const isNumber = (t) => t.getFlags() & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral);
  const isBool = (t) => t.getFlags() & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral);
  if (parts.some(isString) && parts.some(isNumber)) return { 'x-kubernetes-int-or-string': true };
  if (parts.every(isString)) {
    if (parts.every((t) => t.isStringLiteral()))
      return { type: 'string', enum: [...new Set(parts.map((t) => t.value))] };
    return { type: 'string' };
  }
  if (parts.every(isNumber)) return { type: 'number' };
  if (parts.every(isBool)) return { type: 'boolean' };
  let merged;
  for (const part of parts) {
    if (isString(part) || isNumber(part) || isBool(part)) continue;
    merged = mergeSchemas(merged, objectSchema(part, depth));
  }
  return merged ?? { 'x-kubernetes-preserve-unknown-fields': true };
}

function objectSchema(type, depth) {
  if (checker.isArrayType(type)) {
    const [item] = checker.getTypeArguments(type);
    return {
      type: 'array',
      items: item ? schemaOf(item, depth + 1) : { 'x-kubernetes-preserve-unknown-fields': true },
    };
  }
  if (inProgress.has(type)) return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
  inProgress.add(type);
  try {
    const out = { type: 'object' };
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index) out.additionalProperties = schemaOf(index.type, depth + 1);
    const props = checker.getPropertiesOfType(type);
    if (props.length > 0) {
      out.properties = {};
      for (const prop of props.sort((a, b) => a.name.localeCompare(b.name))) {
        const decl = prop.valueDeclaration ?? prop.declarations?.[0];
        const propType = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
        out.properties[prop.name] = schemaOf(propType, depth + 1);
      }
    }
    if (!index && props.length === 0) out['x-kubernetes-preserve-unknown-fields'] = true;
    return out;
  } finally {
    inProgress.delete(type);
  }
}

const schemas = {};
const kinds = {};
for (const f of files) {
  const source = program.getSourceFile(f.path);
  const iface = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === `I${f.kind}`);
  if (!iface) throw new Error(`no interface I${f.kind} in ${f.path}`);
  const type = checker.getTypeAtLocation(iface.name);
  const specProp = checker.getPropertyOfType(type, 'spec');
  if (!specProp) throw new Error(`no spec in ${f.kind}`);
  const spec = schemaOf(checker.getTypeOfSymbolAtLocation(specProp, iface), 0);
  const json = JSON.stringify(spec);
  const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
  schemas[hash] = spec;
  kinds[`${f.group}/${f.version}/${f.kind}`] = hash;
}

const sortedKinds = Object.fromEntries(Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)));
const data = JSON.stringify({ kinds: sortedKinds, specSchemas: schemas });
const out = join(here, '..', 'src', 'istio', 'istio-schemas.gen.ts');
// A single-quoted literal on its own line: the form prettier keeps, so formatting never causes drift.
const literal = `'${data.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const content = [
  '// Generated by tools/kube-sim/scripts/generate-istio-schemas.mjs from @kubernetes-models/istio 3.0.1. Do not edit.',
  '/** `kinds` maps `group/version/Kind` to the hash of its `spec` schema in `specSchemas`. */',
  'export const ISTIO_SCHEMAS_JSON =',
  `  ${literal};`,
  '',
].join('\n');
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== content) {
    console.error(`${out} is out of date: run node tools/kube-sim/scripts/generate-istio-schemas.mjs`);
    process.exit(1);
  }
  console.log(`${out} is up to date`);
} else {
  writeFileSync(out, content);
  console.log(
    `wrote ${out}: ${Object.keys(kinds).length} kinds, ${Object.keys(schemas).length} distinct spec schemas, ${data.length} bytes`,
  );
}
