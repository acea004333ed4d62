import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, samplesOf, valueOf } from '../helpers/prometheus';

describe('the tests’ Prometheus text parser', () => {
  it('reads what prom-client writes: types, help, labels with escapes, histograms', async () => {
    const registry = new Registry();
    const registers = [registry];
    new Counter({ name: 'c_total', help: 'a "counter"\nwith a line', labelNames: ['l'], registers }).inc(
      { l: 'quote " back \\ new\nline, comma' },
      3,
    );
    new Gauge({ name: 'g', help: 'a gauge', registers }).set(-1.5);
    const h = new Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['e'],
      buckets: [0.1, 1],
      registers,
    });
    h.observe({ e: 'x' }, 0.05);
    h.observe({ e: 'x' }, 5);
    const exp = parsePrometheusText(await registry.metrics());
    expect(exp.types.get('c_total')).toBe('counter');
    expect(exp.types.get('h_seconds')).toBe('histogram');
    expect(exp.help.get('c_total')).toBe('a "counter"\nwith a line');
    expect(valueOf(exp, 'c_total', { l: 'quote " back \\ new\nline, comma' })).toBe(3);
    expect(valueOf(exp, 'g')).toBe(-1.5);
    expect(valueOf(exp, 'h_seconds_bucket', { e: 'x', le: '0.1' })).toBe(1);
    expect(valueOf(exp, 'h_seconds_bucket', { e: 'x', le: '+Inf' })).toBe(2);
    expect(valueOf(exp, 'h_seconds_count', { e: 'x' })).toBe(2);
    expect(valueOf(exp, 'h_seconds_sum', { e: 'x' })).toBeCloseTo(5.05);
    expect(samplesOf(exp, 'h_seconds_bucket')).toHaveLength(3);
    expect(
      parsePrometheusText('a Nan\nb NaN\nc -Inf\nd 1e-3 1700000000000').samples.map((s) => s.value),
    ).toEqual([NaN, NaN, -Infinity, 0.001]);
  });

  it('refuses what is not the format, and a lookup that is not one sample', () => {
    expect(() => parsePrometheusText('metric{a="1" 2')).toThrow(/line 1/);
    expect(() => parsePrometheusText('ok 1\nnot a sample at all')).toThrow(/line 2/);
    expect(() => parsePrometheusText('m{a=1} 2')).toThrow(/bad labels/);
    expect(() => parsePrometheusText('m two')).toThrow(/bad value two/);
    const exp = parsePrometheusText('m{a="1"} 1\nm{a="2"} 2\n');
    expect(() => valueOf(exp, 'm')).toThrow('2 samples of m {}');
    expect(() => valueOf(exp, 'n')).toThrow('0 samples of n {}');
    expect(valueOf(exp, 'm', { a: '2' })).toBe(2);
  });
});
