import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';
import * as sharedConfig from '@heliomesh/config';

/**
 * The environment variables a service's `src/config.ts` reads: the keys of the objects it passes
 * to `z.object(...)` (or `.extend(...)`), with spreads such as `...commonServiceEnv` resolved.
 * A spread of `@heliomesh/config` is resolved from the module itself, one declared in the file or
 * a relative import from its declaration. Anything else throws rather than guess, so a new way of
 * writing the configuration breaks this loudly instead of hiding variables.
 */
export function variablesRead(file: string): string[] {
  const source = parse(file);
  const found = new Set<string>();
  let schemas = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isSchemaCall(node)) {
      const [arg] = node.arguments;
      if (arg && ts.isObjectLiteralExpression(arg)) {
        schemas++;
        for (const name of objectKeys(arg, source)) found.add(name);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  if (schemas === 0) throw new Error(`${file}: no z.object({...}) of environment variables found`);
  return [...found].sort();
}

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

function isSchemaCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return false;
  const method = callee.name.text;
  if (method === 'object') return ts.isIdentifier(callee.expression) && callee.expression.text === 'z';
  return method === 'extend' || method === 'safeExtend';
}

function objectKeys(object: ts.ObjectLiteralExpression, source: ts.SourceFile): string[] {
  const keys: string[] = [];
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) {
      if (!ts.isIdentifier(property.expression))
        throw new Error(`${source.fileName}: cannot read the spread ${property.expression.getText(source)}`);
      keys.push(...spreadKeys(property.expression.text, source));
      continue;
    }
    const name = property.name;
    const key = name && (ts.isIdentifier(name) || ts.isStringLiteral(name)) ? name.text : undefined;
    if (key === undefined || !ENV_NAME.test(key))
      throw new Error(
        `${source.fileName}: "${property.getText(source).slice(0, 40)}" is not an environment variable; ` +
          'the drift test reads env schemas only (tools/helm-render/test/config-variables.helper.ts)',
      );
    keys.push(key);
  }
  return keys;
}

function spreadKeys(identifier: string, source: ts.SourceFile): string[] {
  const local = declaredObject(identifier, source);
  if (local) return objectKeys(local, source);
  const imported = importOf(identifier, source);
  if (imported?.module === '@heliomesh/config') {
    const value = (sharedConfig as Record<string, unknown>)[imported.name];
    if (value === null || typeof value !== 'object')
      throw new Error(`@heliomesh/config exports no object ${imported.name}`);
    return Object.keys(value).filter((k) => ENV_NAME.test(k));
  }
  if (imported?.module.startsWith('.')) {
    const target = resolve(dirname(source.fileName), imported.module.replace(/\.js$/, '.ts'));
    return spreadKeys(imported.name, parse(target));
  }
  throw new Error(
    `${source.fileName}: cannot resolve the spread ...${identifier} (imported from ${imported?.module ?? 'nowhere'})`,
  );
}

function declaredObject(identifier: string, source: ts.SourceFile): ts.ObjectLiteralExpression | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || d.name.text !== identifier || !d.initializer) continue;
      let init: ts.Expression = d.initializer;
      while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) return init;
      throw new Error(`${source.fileName}: ${identifier} is not an object literal`);
    }
  }
  return undefined;
}

/** The module a local name is imported from, and its name there (`import { a as b }`). */
function importOf(identifier: string, source: ts.SourceFile): { module: string; name: string } | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const element = bindings.elements.find((e) => e.name.text === identifier);
    if (element)
      return { module: statement.moduleSpecifier.text, name: element.propertyName?.text ?? identifier };
  }
  return undefined;
}
