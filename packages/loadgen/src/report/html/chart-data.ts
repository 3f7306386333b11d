/**
 * The data behind the HTML report's charts, computed from a RunResult in Node so the page only
 * draws: time series per interval, percentile curves sampled from the encoded histograms, and the
 * per-shard load of the producer and the consumer.
 *
 * Invariants:
 * - Every series of a chart has one value per x (uPlot's aligned columns); a gap is `null`, never 0,
 *   so an interval without samples does not read as a 0 ms latency.
 * - Percentile curves use HdrHistogram's plotter axis, x = 1 / (1 − q): 10 is p90, 1,000 is
 *   p99.9; points stop at the first x beyond the sample count (p99.99 of 800 samples is not data).
 */
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { INTERVAL_HISTOGRAMS, type IntervalSample } from '../../metrics/interval-series.js';
import { HISTOGRAM_NAMES, type RunResult } from '../../metrics/run-result.js';
import { HISTOGRAM_LABELS } from '../summary.js';

export interface Series {
  label: string;
  values: (number | null)[];
}

export interface Chart {
  x: number[];
  series: Series[];
}

export interface ShardLoad {
  ids: string[];
  series: Series[];
}

export interface ReportData {
  throughput: Chart;
  latency: Chart;
  consumerLag: Chart;
  percentiles: Chart;
  producerShards: ShardLoad;
  consumerShards: ShardLoad;
}

/** 1 / (1 − q) points per decade on the percentile axis. */
const POINTS_PER_DECADE = 20;

export function buildChartData(result: RunResult): ReportData {
  const samples = result.intervals;
  const x = samples.map((s) => round((s.startUs - result.startedAtUs) / 1e6, 3));
  const perSecond = (s: IntervalSample, n: number): number => round(n / Math.max((s.endUs - s.startUs) / 1e6, 1e-6), 2);
  const column = (label: string, f: (s: IntervalSample) => number | null): Series => ({ label, values: samples.map(f) });
  const latencySeries = INTERVAL_HISTOGRAMS.filter((h) => h !== 'sendDelay').flatMap((h) =>
    (['p50Ms', 'p99Ms'] as const).map((p) =>
      column(`${HISTOGRAM_LABELS[h].trim()} ${p.slice(0, 3)}`, (s) => (s.latency[h].count === 0 ? null : s.latency[h][p])),
    ),
  );
  const lag = [column('backlog (records)', (s) => s.backlog), ...iteratorAge(samples)];
  return {
    throughput: {
      x,
      series: [
        column('target', (s) => s.targetRate),
        column('achieved (sent)', (s) => perSecond(s, s.counts.sent)),
        column('acked', (s) => s.publishRate),
        column('consumed', (s) => s.consumeRate),
        column('failed', (s) => s.publishErrorRate),
      ],
    },
    latency: { x, series: latencySeries },
    consumerLag: { x, series: lag },
    percentiles: percentileCurves(result),
    producerShards: producerShards(result.producer),
    consumerShards: consumerShards(result.consumer),
  };
}

/**
 * IteratorAge over time: the largest stream → consumer delay of each interval (delivery − arrival:
 * what Lambda's IteratorAge measures) when the intervals carry their encoded histograms; without
 * them the chart shows the backlog alone.
 */
function iteratorAge(samples: readonly IntervalSample[]): Series[] {
  if (samples.length === 0 || !samples.every((s) => s.histograms?.streamToConsumer !== undefined)) return [];
  const values = samples.map((s) => {
    const h = decodeFromCompressedBase64(s.histograms?.streamToConsumer ?? '');
    return h.totalCount === 0 ? null : h.maxValue / 1000;
  });
  return [{ label: 'IteratorAge ≈ max stream → consumer (ms)', values }];
}

function percentileCurves(result: RunResult): Chart {
  const histograms = HISTOGRAM_NAMES.map((name) => ({ name, h: decodeFromCompressedBase64(result.histograms[name]) })).filter(
    ({ h }) => h.totalCount > 0,
  );
  const maxCount = Math.max(1, ...histograms.map(({ h }) => h.totalCount));
  const decades = Math.max(1, Math.ceil(Math.log10(maxCount)));
  const x = Array.from({ length: decades * POINTS_PER_DECADE + 1 }, (_, i) => round(10 ** (i / POINTS_PER_DECADE), 4));
  const series = histograms.map(({ name, h }) => ({
    label: HISTOGRAM_LABELS[name].trim(),
    values: x.map((inv) => (inv > h.totalCount ? null : h.getValueAtPercentile(100 * (1 - 1 / inv)) / 1000)),
  }));
  return { x, series };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The producer's `metrics().shards` map: records, bytes and throttles per shard. */
function producerShards(producer: unknown): ShardLoad {
  const shards = isObj(producer) && isObj(producer.shards) ? Object.entries(producer.shards).filter(([, s]) => isObj(s)) : [];
  shards.sort(([a], [b]) => a.localeCompare(b));
  const field = (label: string, key: string): Series => ({ label, values: shards.map(([, s]) => num((s as Obj)[key])) });
  return {
    ids: shards.map(([id]) => id),
    series: [field('Kinesis records put', 'kinesisRecordsPut'), field('throttled records', 'throttledRecords'), field('bytes put', 'bytesPut')],
  };
}

/** The consumer's `stats().shards` list: records read and IteratorAge per shard. */
function consumerShards(consumer: unknown): ShardLoad {
  const shards = isObj(consumer) && Array.isArray(consumer.shards) ? consumer.shards.filter(isObj) : [];
  shards.sort((a, b) => String(a.shardId).localeCompare(String(b.shardId)));
  const field = (label: string, key: string): Series => ({ label, values: shards.map((s) => num(s[key])) });
  return {
    ids: shards.map((s) => String(s.shardId)),
    series: [field('records read', 'recordsRead'), field('IteratorAge (ms)', 'iteratorAgeMs'), field('throttled GetRecords', 'throttledCalls')],
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
