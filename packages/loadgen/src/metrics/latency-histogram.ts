/**
 * Latency histograms in microseconds: one fixed-size HdrHistogram per metric, their percentile
 * summary in milliseconds, and the compressed base64 (V2) form used to store and merge them.
 *
 * Invariants:
 * - Memory is fixed at creation: values are tracked from 1 µs to 1 hour with 3 significant digits
 *   (≈ 23k 32-bit counters, ~90 KiB per histogram) and never resize. A value above 1 hour is
 *   recorded as 1 hour and counted in `clampedHigh`; a negative one (clock skew between producer and
 *   consumer hosts) as 0 and counted in `clampedLow`, so neither is silently dropped.
 * - The base64 form is HdrHistogram's standard compressed V2 encoding, readable by the Java, C, Go
 *   and Rust ports, so results of several workers or machines merge with `add()`.
 */
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  JsHistogram,
  type Histogram,
} from 'hdr-histogram-js';

/** 1 hour in µs: an e2e latency above that is a stuck pipeline, not a latency. */
export const HIGHEST_TRACKABLE_US = 3_600_000_000;

/** Aggregated percentiles of one histogram, in milliseconds (µs resolution). */
export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p75Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  p9999Ms: number;
  maxMs: number;
}

/** A histogram plus the values it had to clamp. */
export interface LatencyHistogram {
  readonly histogram: Histogram;
  clampedLow: number;
  clampedHigh: number;
  /** Records one latency in µs (rounded to an integer). */
  record(valueUs: number): void;
  reset(): void;
}

/**
 * A class, not an object literal of closures: every histogram then shares one `record` function,
 * so a call site that meets several histograms (the run recorder's warm-up and measured ones)
 * stays monomorphic instead of being deoptimised when a second histogram's closure comes along.
 */
class ClampingHistogram implements LatencyHistogram {
  readonly histogram = newHistogram();
  clampedLow = 0;
  clampedHigh = 0;

  record(valueUs: number): void {
    let v = Math.round(valueUs);
    if (!(v >= 0)) {
      this.clampedLow++;
      v = 0;
    } else if (v > HIGHEST_TRACKABLE_US) {
      this.clampedHigh++;
      v = HIGHEST_TRACKABLE_US;
    }
    this.histogram.recordValue(v);
  }

  reset(): void {
    this.histogram.reset();
    this.clampedLow = 0;
    this.clampedHigh = 0;
  }
}

export function createLatencyHistogram(): LatencyHistogram {
  return new ClampingHistogram();
}

function newHistogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
    bitBucketSize: 32,
    autoResize: false,
  });
}

const usToMs = (us: number): number => Math.round(us) / 1000;

/** The percentiles a summary reports, in the order of `SUMMARY_KEYS`. */
const SUMMARY_PERCENTILES = [0, 50, 75, 95, 99, 99.9, 99.99, 100] as const;
const SUMMARY_KEYS = ['minMs', 'p50Ms', 'p75Ms', 'p95Ms', 'p99Ms', 'p999Ms', 'p9999Ms', 'maxMs'] as const;

/**
 * Percentiles in ms; all zero for an empty histogram (check `count`). The maximum is the bucket's
 * highest equivalent value, like every percentile, so a merged histogram agrees.
 *
 * One walk over the counts gives every percentile and the mean, with the same arithmetic as
 * `getValueAtPercentile` and `mean` (tested against them): those walk the ~23k counters once per
 * call, nine times per histogram, and the mean through an iterator object. At each 10 s interval
 * boundary the run recorder summarises four histograms in the middle of the send loop; that took
 * 2–15 ms, a stall every record due meanwhile waited out, and now takes well under 1 ms.
 */
export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) {
    return { count, minMs: 0, meanMs: 0, p50Ms: 0, p75Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, p9999Ms: 0, maxMs: 0 };
  }
  const valuesUs = histogram instanceof JsHistogram ? walkCounts(histogram) : undefined;
  const summary: LatencySummary = { count, minMs: 0, meanMs: 0, p50Ms: 0, p75Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, p9999Ms: 0, maxMs: 0 };
  SUMMARY_KEYS.forEach((key, i) => {
    summary[key] = usToMs(valuesUs?.percentiles[i] ?? histogram.getValueAtPercentile(SUMMARY_PERCENTILES[i] as number));
  });
  summary.meanMs = usToMs(valuesUs?.mean ?? histogram.mean);
  return summary;
}

/** Every summary percentile (µs) and the mean, in one pass over the counts. */
function walkCounts(histogram: JsHistogram): { percentiles: number[]; mean: number } {
  const total = histogram.totalCount;
  // getValueAtPercentile's count for a percentile: rounded up, minus one ulp of fp error, ≥ 1.
  const thresholds = SUMMARY_PERCENTILES.map((p) => {
    const fpCount = (p / 100) * total;
    return Math.max(Math.ceil(fpCount - ulp(fpCount)), 1);
  });
  const percentiles: number[] = [];
  let seen = 0;
  let sum = 0;
  for (let i = 0; i < histogram.countsArrayLength && seen < total; i++) {
    const countAtIndex = histogram.getCountAtIndex(i);
    if (countAtIndex === 0) continue;
    seen += countAtIndex;
    const value = histogram.valueFromIndex(i);
    const highest = histogram.highestEquivalentValue(value);
    sum += histogram.medianEquivalentValue(highest) * countAtIndex;
    while (percentiles.length < thresholds.length && seen >= (thresholds[percentiles.length] as number)) {
      percentiles.push(percentiles.length === 0 ? histogram.lowestEquivalentValue(value) : highest);
    }
  }
  return { percentiles, mean: sum / total };
}

/**
 * `total.add(part)` for two histograms of this module's layout (same counts-array layout), walking
 * only `part`'s occupied range: `add` walks all ~23k counters of `part`, while a 10 s interval's
 * send delays reach index ~6,000 (20 ms) and its publish latencies a few hundred. The run
 * recorder folds its interval histograms into the run totals at every interval boundary, in the
 * middle of the send loop, the first time in unoptimised code. Same counts, total, minimum and
 * maximum as `add` (tested against it): `part`'s exact minimum and maximum are recorded with a
 * count of 0, which moves only the extremes.
 */
export function addHistogram(total: Histogram, part: Histogram): void {
  if (part.totalCount === 0) return;
  if (!(total instanceof JsHistogram && part instanceof JsHistogram) || total.countsArrayLength !== part.countsArrayLength) {
    total.add(part);
    return;
  }
  const lastIndex = part.countsArrayIndex(part.maxValue);
  for (let i = 0; i <= lastIndex; i++) {
    const count = part.getCountAtIndex(i);
    if (count > 0) total.addToCountAtIndex(i, count);
  }
  total.setTotalCount(total.totalCount + part.totalCount);
  total.recordValueWithCount(part.maxValue, 0);
  if (part.minNonZeroValue <= part.maxValue) total.recordValueWithCount(part.minNonZeroValue, 0);
}

/** hdr-histogram-js's `ulp` (unit in the last place of a double). */
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/** HdrHistogram's compressed base64 V2 form. */
export function encodeHistogram(histogram: Histogram): string {
  return encodeIntoCompressedBase64(histogram);
}

/**
 * Decodes and adds any number of encoded histograms (workers, machines, runs) into one fixed-size
 * histogram. Values above 1 hour in a foreign histogram would not fit and throw a RangeError.
 */
export function mergeEncodedHistograms(encoded: readonly string[]): Histogram {
  const total = newHistogram();
  for (const [i, text] of encoded.entries()) {
    let part: Histogram;
    try {
      part = decodeFromCompressedBase64(text);
    } catch (cause) {
      throw new RangeError(`Expected histogram ${i} to be HdrHistogram compressed base64`, { cause });
    }
    if (part.maxValue > HIGHEST_TRACKABLE_US) {
      throw new RangeError(
        `Expected histogram ${i} values ≤ ${HIGHEST_TRACKABLE_US} µs, got max ${part.maxValue}`,
      );
    }
    total.add(part);
  }
  return total;
}
