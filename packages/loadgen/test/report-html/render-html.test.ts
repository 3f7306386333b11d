import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/metrics/run-result.js';
import { buildChartData } from '../../src/report/html/chart-data.js';
import { renderHtmlReport } from '../../src/report/html/render-html.js';
import { syntheticRun } from '../merge/synthetic-run.js';

const result = syntheticRun({ count: 1500 });

function embeddedData(html: string): unknown {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? 'null');
}

describe('buildChartData', () => {
  const data = buildChartData(result);

  it('gives every time series one value per interval, x in seconds since the start', () => {
    expect(data.throughput.x).toEqual(result.intervals.map((_, k) => k));
    for (const chart of [data.throughput, data.latency, data.consumerLag]) {
      for (const s of chart.series) expect(s.values).toHaveLength(chart.x.length);
    }
    expect(data.throughput.series.map((s) => s.label)).toEqual(['target', 'achieved (sent)', 'acked', 'consumed', 'failed']);
    expect(data.throughput.series[0]?.values[1]).toBe(500);
    expect(data.latency.series.map((s) => s.label)).toEqual([
      'publish p50', 'publish p99', 'publish (corrected) p50', 'publish (corrected) p99', 'end-to-end p50', 'end-to-end p99',
    ]);
  });

  it('leaves a gap, not a zero, where an interval has no latency samples', () => {
    const idle = { ...result, intervals: result.intervals.map((s) => ({ ...s, latency: { ...s.latency, publish: { ...s.latency.publish, count: 0 } } })) } as RunResult;
    expect(buildChartData(idle).latency.series[0]?.values.every((v) => v === null)).toBe(true);
  });

  it('samples percentile curves on the 1/(1−q) axis up to the sample count', () => {
    const { x, series } = data.percentiles;
    expect(x[0]).toBe(1);
    expect(x[20]).toBe(10); // p90
    expect(x[40]).toBe(100); // p99
    const e2e = series.find((s) => s.label === 'end-to-end');
    expect(e2e?.values[40]).toBeCloseTo(result.latency.endToEnd.p99Ms, 3);
    // 1,4xx samples: x = 10,000 (p99.99) is beyond the data.
    expect(x.at(-1)).toBe(10_000);
    expect(e2e?.values.at(-1)).toBeNull();
  });

  it('lists producer and consumer shards, empty when the result has none', () => {
    expect(data.producerShards.ids).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    const put = data.producerShards.series[0]?.values.reduce<number>((n, v) => n + (v ?? 0), 0);
    expect(put).toBe(result.accounting.acked);
    expect(data.consumerShards.series[1]?.values).toEqual([120, 120, 120, 120]);
    const bare = { ...result } as RunResult;
    delete bare.producer;
    delete bare.consumer;
    expect(buildChartData(bare).producerShards).toEqual({ ids: [], series: expect.any(Array) as unknown });
  });
});

describe('renderHtmlReport', () => {
  it('is one self-contained file: uPlot, data and script inline, nothing fetched', () => {
    const html = renderHtmlReport(result);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    // The only URL is uPlot's licence banner, inside a comment.
    expect(html.match(/https?:\/\/[^\s"')]+/g)).toEqual(['https://github.com/leeoniya/uPlot']);
    expect(html).toContain('uPlot');
    expect(html.match(/<section class="chart"/g)).toHaveLength(6);
    expect(embeddedData(html)).toEqual(JSON.parse(JSON.stringify(buildChartData(result))));
  });

  it('shows the verdict, the accounting and the thresholds', () => {
    const html = renderHtmlReport(result);
    expect(html).toContain('<p class="verdict fail" id="verdict">1 of 2 thresholds failed</p>');
    expect(html).toMatch(/<tr><th>lost<\/th><td>\d+<\/td><td>acked, never consumed; first seqs 5, /);
    expect(html).toContain('<li class="fail"><b>FAIL</b> <code>lost == 0</code>');
  });

  it('escapes text from the result, and the embedded JSON cannot close its script tag', () => {
    const hostile = { ...result, meta: { scenario: '</script><b>x</b>' }, runId: 'a&b' } as RunResult;
    const html = renderHtmlReport(hostile);
    expect(html).toContain('<title>loadgen report: &lt;/script&gt;&lt;b&gt;x&lt;/b&gt;</title>');
    expect(html).toContain('<code>a&amp;b</code>');
    expect(html).not.toContain('<b>x</b>');
  });
});

describe('consumer lag series', () => {
  it('plots IteratorAge from each interval’s stream → consumer histogram when the intervals carry them', () => {
    const h = build({ numberOfSignificantValueDigits: 3 });
    h.recordValue(250_000);
    const encoded = encodeIntoCompressedBase64(h);
    const withHistograms = { ...result, intervals: result.intervals.map((s) => ({ ...s, histograms: { streamToConsumer: encoded } })) } as RunResult;
    const lag = buildChartData(withHistograms).consumerLag.series;
    expect(lag.map((s) => s.label)).toEqual(['backlog (records)', 'IteratorAge ≈ max stream → consumer (ms)']);
    expect(lag[1]?.values.every((v) => v !== null && Math.abs(v - 250) < 0.5)).toBe(true);
    expect(buildChartData(result).consumerLag.series).toHaveLength(1);
  });
});
