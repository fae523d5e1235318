import { type Command, Option } from 'commander';
import { readSources } from '../files/manifest-files.util.js';
import { findingLine, type SourceFinding } from '../files/policy-sources.util.js';
import type { Palette } from '../io/palette.util.js';
import type { CliRuntime } from '../program/cli-runtime.util.js';
import type { ValidationReport } from '../validate/offline-validate.service.js';

interface ValidateOptions {
  filename: string[];
  recursive?: boolean;
  services?: string;
  output: 'text' | 'json';
  strict?: boolean;
}

export function validateCommand(program: Command, rt: CliRuntime): void {
  program
    .command('validate')
    .summary('check policy files offline (schema + validation catalogue); exit 1 on errors')
    .description(
      'Checks Heliomesh policy files without a server: the schema of every document and the validation ' +
        'catalogue (HM codes) on what they would generate. Prints one `file:document:path CODE severity: message` ' +
        'line per finding and exits 1 when there is an error (or, with --strict, a warning): made for CI. ' +
        "Checks that need the cluster's services (unknown versions, ports, pods) run only with --services FILE; " +
        'without it they are skipped and named.',
    )
    .requiredOption(
      '-f, --filename <path...>',
      'policy file(s) or directories (.yaml, .yml, .json); - for stdin',
    )
    .option('-R, --recursive', 'read directories recursively')
    .option(
      '--services <file>',
      'YAML list of services ({ name, namespace, ports, versions: [{ name, labels?, pods? }] }), e.g. from `heliomesh get services -o yaml`',
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--strict', 'warnings fail the check too')
    .addHelpText(
      'after',
      '\nExamples:\n  heliomesh validate -f policies/\n  heliomesh get services -n shop -o yaml > services.yaml && heliomesh validate -f policies/ --services services.yaml',
    )
    .action(async (opts: ValidateOptions) => {
      const files = await readSources(opts.filename, rt.io, opts.recursive);
      const services = opts.services ? (await readSources([opts.services], rt.io))[0] : undefined;
      const { validateOffline } = await import('../validate/offline-validate.service.js');
      const report = validateOffline(files, services);
      if (opts.output === 'json') rt.out(JSON.stringify(jsonReport(report), null, 2));
      else rt.out(textReport(report, rt.p));
      const failed = report.errors > 0 || (opts.strict === true && report.warnings > 0);
      rt.exitCode = failed ? 1 : 0;
    });
}

function jsonReport(r: ValidationReport) {
  return {
    valid: r.errors === 0,
    files: r.files,
    policies: r.policies,
    errors: r.errors,
    warnings: r.warnings,
    findings: r.findings,
    skipped: r.skipped.map((d) => d.code),
    notOffline: r.notOffline.map((d) => d.code),
  };
}

function colourLine(f: SourceFinding, p: Palette): string {
  const line = findingLine(f);
  return f.severity === 'error' ? p.red(line) : f.severity === 'warning' ? p.yellow(line) : p.dim(line);
}

function textReport(r: ValidationReport, p: Palette): string {
  const lines = r.findings.map((f) => colourLine(f, p));
  const infos = r.findings.length - r.errors - r.warnings;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `${plural(r.policies, 'policy').replace('policys', 'policies')} in ${plural(r.files, 'file')}: ${plural(r.errors, 'error')}, ${plural(r.warnings, 'warning')}, ${plural(infos, 'note')}.`;
  lines.push(r.errors ? p.red(summary) : p.green(summary));
  if (r.skipped.length)
    lines.push(
      p.dim(
        `Skipped without --services (they check the cluster's services, e.g. unknown versions and ports): ${r.skipped.map((d) => d.code).join(', ')}.`,
      ),
    );
  lines.push(
    p.dim(`Not checked offline (they need the live cluster): ${r.notOffline.map((d) => d.code).join(', ')}.`),
  );
  return lines.join('\n');
}
