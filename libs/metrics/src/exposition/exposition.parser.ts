import type {
  ExpositionError,
  ExpositionSample,
  MetricFamily,
  MetricType,
  ParsedExposition,
} from './exposition.types.js';
import {
  isSpace,
  parseTimestamp,
  parseValue,
  scanLabelName,
  scanMetricName,
  scanQuoted,
  scanToken,
  skipSpaces,
  unescapeHelp,
} from './exposition-lexer.util.js';

export const MAX_REPORTED_ERRORS = 100;

/** Sample-name suffixes that belong to a family of the given type (OpenMetrics adds `_created`). */
const FAMILY_SUFFIXES: Record<MetricType, readonly string[]> = {
  counter: ['_total', '_created'],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  summary: ['_count', '_sum', '_created'],
  gauge: [],
  untyped: [],
};

/** OpenMetrics types we accept without judging; they carry no rules we compute on. */
const LENIENT_TYPES = new Set(['unknown', 'info', 'stateset', 'gaugehistogram']);

const EMPTY_LABELS: Record<string, string> = Object.freeze(Object.create(null) as Record<string, string>);

interface FamilyState extends MetricFamily {
  declared: boolean;
}

class ExpositionParser {
  private readonly families = new Map<string, FamilyState>();
  private readonly errors: ExpositionError[] = [];
  private errorCount = 0;
  private sampleCount = 0;
  private lastName = '';
  private lastFamily: FamilyState | undefined;

  parse(text: string): ParsedExposition {
    const lines = text.split('\n');
    for (let n = 0; n < lines.length; n++) {
      let line = lines[n]!;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      const start = skipSpaces(line, 0);
      if (start === line.length) continue;
      if (line.charCodeAt(start) === 0x23) {
        if (this.comment(line, start + 1, n + 1) === 'eof') {
          this.checkAfterEof(lines, n + 1);
          break;
        }
      } else {
        this.sample(line, start, n + 1);
      }
    }
    const families: MetricFamily[] = [];
    for (const f of this.families.values()) {
      if (!f.declared && f.samples.length === 0) continue;
      const { declared: _declared, ...family } = f;
      families.push(family);
    }
    return {
      families,
      errors: this.errors,
      errorCount: this.errorCount,
      sampleCount: this.sampleCount,
    };
  }

  private error(line: number, message: string): void {
    this.errorCount++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push({ line, message });
  }

  private checkAfterEof(lines: string[], from: number): void {
    for (let n = from; n < lines.length; n++) {
      if (lines[n]!.trim() !== '') {
        this.error(n + 1, 'content after "# EOF" is ignored');
        return;
      }
    }
  }

  /** Handles a line that starts with `#`: HELP, TYPE, EOF, or a plain comment. */
  private comment(line: string, i: number, n: number): 'eof' | undefined {
    this.lastName = '';
    i = skipSpaces(line, i);
    const kwEnd = scanToken(line, i);
    const keyword = line.slice(i, kwEnd);
    if (keyword === 'EOF' && skipSpaces(line, kwEnd) === line.length) return 'eof';
    if (keyword !== 'HELP' && keyword !== 'TYPE') return undefined;
    const nameStart = skipSpaces(line, kwEnd);
    const nameEnd = scanMetricName(line, nameStart);
    if (nameEnd === nameStart || (nameEnd < line.length && !isSpace(line.charCodeAt(nameEnd)))) {
      this.error(n, `# ${keyword} needs a valid metric name`);
      return undefined;
    }
    const name = line.slice(nameStart, nameEnd);
    // One separating space; the rest of a HELP line is the docstring, spaces included.
    const rest = nameEnd < line.length ? line.slice(nameEnd + 1) : '';
    if (keyword === 'HELP') this.help(name, rest, n);
    else this.type(name, rest.trim(), n);
    return undefined;
  }

  private help(name: string, text: string, n: number): void {
    const family = this.familyFor(name);
    if (family.help !== undefined) {
      this.error(n, `second # HELP for ${name}; keeping the first`);
      return;
    }
    family.help = unescapeHelp(text);
    family.declared = true;
  }

  private type(name: string, text: string, n: number): void {
    const lower = text.toLowerCase();
    let type: MetricType;
    if (
      lower === 'counter' ||
      lower === 'gauge' ||
      lower === 'histogram' ||
      lower === 'summary' ||
      lower === 'untyped'
    ) {
      type = lower;
    } else if (LENIENT_TYPES.has(lower)) {
      type = 'untyped';
    } else {
      this.error(n, `unknown metric type "${text}" for ${name}`);
      return;
    }
    const family = this.familyFor(name);
    if (family.samples.length > 0) {
      this.error(n, `# TYPE for ${name} comes after its samples; it must come first`);
      return;
    }
    if (family.declared && family.type !== 'untyped') {
      this.error(n, `second # TYPE for ${name}; keeping the first`);
      return;
    }
    family.type = type;
    family.declared = true;
  }

  private familyFor(name: string): FamilyState {
    let family = this.families.get(name);
    if (!family) {
      family = { name, type: 'untyped', samples: [], declared: false };
      this.families.set(name, family);
    }
    return family;
  }

  /** The family a sample belongs to: its own name, or a declared family it is a suffix of. */
  private familyOfSample(name: string): FamilyState {
    if (name === this.lastName && this.lastFamily) return this.lastFamily;
    let family = this.families.get(name);
    if (!family || (!family.declared && family.samples.length === 0)) {
      family = this.declaredParent(name) ?? this.familyFor(name);
    }
    this.lastName = name;
    this.lastFamily = family;
    return family;
  }

  private declaredParent(name: string): FamilyState | undefined {
    const underscore = name.lastIndexOf('_');
    if (underscore <= 0) return undefined;
    const suffix = name.slice(underscore);
    const parent = this.families.get(name.slice(0, underscore));
    if (!parent?.declared) return undefined;
    return FAMILY_SUFFIXES[parent.type].includes(suffix) ? parent : undefined;
  }

  private sample(line: string, start: number, n: number): void {
    const nameEnd = scanMetricName(line, start);
    if (nameEnd === start) {
      this.error(n, 'expected a metric name at the start of the line');
      return;
    }
    const name = line.slice(start, nameEnd);
    let i = nameEnd;
    let labels: Record<string, string> = EMPTY_LABELS;
    const brace = skipSpaces(line, nameEnd);
    if (line.charCodeAt(brace) === 0x7b) {
      const parsed = this.labels(line, brace + 1, n);
      if (!parsed) return;
      labels = parsed.labels;
      i = parsed.end;
    }
    const valueStart = skipSpaces(line, i);
    if (valueStart === i || valueStart === line.length) {
      this.error(n, `expected a space and a value after ${name}`);
      return;
    }
    const valueEnd = scanToken(line, valueStart);
    const value = parseValue(line.slice(valueStart, valueEnd));
    if (value === undefined) {
      this.error(n, `"${line.slice(valueStart, valueEnd)}" is not a number`);
      return;
    }
    const sample: ExpositionSample = { name, labels, value };
    i = skipSpaces(line, valueEnd);
    if (i < line.length && line.charCodeAt(i) !== 0x23) {
      const tsEnd = scanToken(line, i);
      const ts = parseTimestamp(line.slice(i, tsEnd));
      if (ts === undefined) {
        this.error(n, `"${line.slice(i, tsEnd)}" is not a timestamp`);
        return;
      }
      sample.timestampMs = ts;
      i = skipSpaces(line, tsEnd);
    }
    // OpenMetrics exemplars (` # {trace_id="..."} 1`) follow a `#`; we have no use for them.
    if (i < line.length && line.charCodeAt(i) !== 0x23) {
      this.error(n, `unexpected "${line.slice(i)}" after the value`);
      return;
    }
    this.familyOfSample(name).samples.push(sample);
    this.sampleCount++;
  }

  /** Parses `name="value",...}` from just after `{`. */
  private labels(
    line: string,
    i: number,
    n: number,
  ): { labels: Record<string, string>; end: number } | undefined {
    const labels: Record<string, string> = {};
    for (;;) {
      i = skipSpaces(line, i);
      if (line.charCodeAt(i) === 0x7d) return { labels, end: i + 1 };
      const nameEnd = scanLabelName(line, i);
      if (nameEnd === i) {
        this.error(n, `expected a label name at column ${i + 1}`);
        return undefined;
      }
      const label = line.slice(i, nameEnd);
      i = skipSpaces(line, nameEnd);
      if (line.charCodeAt(i) !== 0x3d) {
        this.error(n, `expected "=" after label ${label}`);
        return undefined;
      }
      i = skipSpaces(line, i + 1);
      if (line.charCodeAt(i) !== 0x22) {
        this.error(n, `expected a quoted value for label ${label}`);
        return undefined;
      }
      const quoted = scanQuoted(line, i + 1);
      if (!quoted) {
        this.error(n, `unterminated value for label ${label}`);
        return undefined;
      }
      if (Object.prototype.hasOwnProperty.call(labels, label)) {
        this.error(n, `label ${label} appears twice`);
        return undefined;
      }
      // Defined, not assigned: a label named `__proto__` must stay a label, not a prototype.
      if (label === '__proto__') {
        Object.defineProperty(labels, label, {
          value: quoted.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else labels[label] = quoted.value;
      i = skipSpaces(line, quoted.end);
      if (line.charCodeAt(i) === 0x2c) i++;
      else if (line.charCodeAt(i) !== 0x7d) {
        this.error(n, `expected "," or "}" after label ${label}`);
        return undefined;
      }
    }
  }
}

/**
 * Parses Prometheus text exposition (0.0.4), tolerating OpenMetrics additions (`# EOF`, `_total`
 * and `_created` samples, exemplars, decimal-second timestamps, extra types). It is fed untrusted
 * scrape bodies, so it never throws: bad lines are skipped and reported with their line number.
 */
export function parsePrometheusText(text: string): ParsedExposition {
  return new ExpositionParser().parse(text);
}
