import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './exposition.parser.js';

const ISTIO = `# HELP istio_requests_total Total requests.
# TYPE istio_requests_total counter
istio_requests_total{reporter="destination",destination_service_name="reviews",response_code="200"} 1027 1395066363000
istio_requests_total{reporter="destination",destination_service_name="reviews",response_code="503"} 3
# HELP istio_request_duration_milliseconds Request duration.
# TYPE istio_request_duration_milliseconds histogram
istio_request_duration_milliseconds_bucket{le="5"} 10
istio_request_duration_milliseconds_bucket{le="+Inf"} 12
istio_request_duration_milliseconds_sum 53.5
istio_request_duration_milliseconds_count 12
`;

describe('parsePrometheusText', () => {
  it('groups samples into families with their HELP and TYPE', () => {
    const parsed = parsePrometheusText(ISTIO);
    expect(parsed.errors).toEqual([]);
    expect(parsed.sampleCount).toBe(6);
    expect(parsed.families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['istio_requests_total', 'counter', 2],
      ['istio_request_duration_milliseconds', 'histogram', 4],
    ]);
    const [requests, duration] = parsed.families;
    expect(requests!.help).toBe('Total requests.');
    expect(requests!.samples[0]).toEqual({
      name: 'istio_requests_total',
      labels: {
        reporter: 'destination',
        destination_service_name: 'reviews',
        response_code: '200',
      },
      value: 1027,
      timestampMs: 1395066363000,
    });
    expect(duration!.samples.map((s) => s.name)).toEqual([
      'istio_request_duration_milliseconds_bucket',
      'istio_request_duration_milliseconds_bucket',
      'istio_request_duration_milliseconds_sum',
      'istio_request_duration_milliseconds_count',
    ]);
  });

  it('unescapes label values and HELP text', () => {
    const parsed = parsePrometheusText(
      [
        '# HELP m A \\\\ backslash\\nand a newline',
        'm{path="C:\\\\dir",q="say \\"hi\\"",nl="a\\nb",other="\\t"} 1',
      ].join('\n'),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.families[0]!.help).toBe('A \\ backslash\nand a newline');
    expect(parsed.families[0]!.samples[0]!.labels).toEqual({
      path: 'C:\\dir',
      q: 'say "hi"',
      nl: 'a\nb',
      other: '\\t',
    });
  });

  it.each([
    ['NaN', Number.NaN],
    ['+Inf', Number.POSITIVE_INFINITY],
    ['-Inf', Number.NEGATIVE_INFINITY],
    ['Inf', Number.POSITIVE_INFINITY],
    ['1.5e3', 1500],
    ['-0.25', -0.25],
    ['.5', 0.5],
    ['7.', 7],
  ])('reads the value %s', (text, value) => {
    const parsed = parsePrometheusText(`x ${text}\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.families[0]!.samples[0]!.value).toBe(value);
  });

  it('tolerates spacing, trailing commas, CRLF, comments and blank lines', () => {
    const parsed = parsePrometheusText('  # a comment\r\n\r\nm { a = "1" , b="2", }   3  \r\n\tn 4\r\n');
    expect(parsed.errors).toEqual([]);
    expect(parsed.families.map((f) => f.samples[0])).toEqual([
      { name: 'm', labels: { a: '1', b: '2' }, value: 3 },
      { name: 'n', labels: {}, value: 4 },
    ]);
  });

  it('reads OpenMetrics: _total counters, exemplars, second timestamps and # EOF', () => {
    const parsed = parsePrometheusText(
      [
        '# TYPE http_requests counter',
        '# UNIT http_requests requests',
        'http_requests_total{code="200"} 10 1700000000.5 # {trace_id="abc"} 1.0',
        'http_requests_created{code="200"} 1699999000',
        '# TYPE build info',
        'build_info{version="1.2"} 1',
        '# EOF',
      ].join('\n'),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.families.map((f) => [f.name, f.type, f.samples.length])).toEqual([
      ['http_requests', 'counter', 2],
      ['build', 'untyped', 0],
      ['build_info', 'untyped', 1],
    ]);
    expect(parsed.families[0]!.samples[0]!.timestampMs).toBe(1700000000500);
  });

  it('treats labels named like Object.prototype members as plain labels', () => {
    const parsed = parsePrometheusText('m{__proto__="x",constructor="y"} 1');
    expect(parsed.errors).toEqual([]);
    const labels = parsed.families[0]!.samples[0]!.labels;
    expect(Object.keys(labels)).toEqual(['__proto__', 'constructor']);
    expect(labels['__proto__']).toBe('x');
  });

  it.each([
    ['{a="1"} 1', 'expected a metric name'],
    ['m{a="1" 1', 'expected "," or "}"'],
    ['m{a="1} 1', 'unterminated value'],
    ['m{1a="1"} 1', 'expected a label name'],
    ['m{a:"1"} 1', 'expected "="'],
    ['m{a=1} 1', 'expected a quoted value'],
    ['m{a="1",a="2"} 1', 'appears twice'],
    ['m', 'expected a space and a value'],
    ['m{a="1"}1', 'expected a space and a value'],
    ['m abc', 'is not a number'],
    ['m 0x10', 'is not a number'],
    ['m 1 12abc', 'is not a timestamp'],
    ['m 1 2 3', 'unexpected "3"'],
    ['# TYPE m bogus', 'unknown metric type'],
    ['# TYPE 9m counter', 'needs a valid metric name'],
  ])('reports %j with its line number and keeps going', (bad, message) => {
    const parsed = parsePrometheusText(`ok 1\n${bad}\nok 2\n`);
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]!.line).toBe(2);
    expect(parsed.errors[0]!.message).toContain(message);
    expect(parsed.families.find((f) => f.name === 'ok')!.samples.map((s) => s.value)).toEqual([1, 2]);
  });

  it('reports a TYPE that comes after its samples, a second HELP and content after # EOF', () => {
    const parsed = parsePrometheusText(
      ['m 1', '# TYPE m gauge', '# HELP m one', '# HELP m two', '# EOF', 'late 1'].join('\n'),
    );
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 4, 6]);
    expect(parsed.families.map((f) => f.name)).toEqual(['m']);
    expect(parsed.families[0]!.help).toBe('one');
  });

  it('keeps a suffixed sample in its own family when the parent type does not own that suffix', () => {
    const parsed = parsePrometheusText('# TYPE g gauge\ng 1\ng_count 2\n');
    expect(parsed.families.map((f) => f.name)).toEqual(['g', 'g_count']);
  });

  it('caps the reported errors but counts them all', () => {
    const parsed = parsePrometheusText('!\n'.repeat(250));
    expect(parsed.errors).toHaveLength(100);
    expect(parsed.errorCount).toBe(250);
  });
});
