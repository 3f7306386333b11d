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

export function createLatencyHistogram(): LatencyHistogram {
  const histogram = newHistogram();
  const h: LatencyHistogram = {
    histogram,
    clampedLow: 0,
    clampedHigh: 0,
    record(valueUs: number): void {
      let v = Math.round(valueUs);
      if (!(v >= 0)) {
        h.clampedLow++;
        v = 0;
      } else if (v > HIGHEST_TRACKABLE_US) {
        h.clampedHigh++;
        v = HIGHEST_TRACKABLE_US;
      }
      histogram.recordValue(v);
    },
    reset(): void {
      histogram.reset();
      h.clampedLow = 0;
      h.clampedHigh = 0;
    },
  };
  return h;
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

/** Percentiles in ms; all zero for an empty histogram (check `count`). */
export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) {
    return { count, minMs: 0, meanMs: 0, p50Ms: 0, p75Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, p9999Ms: 0, maxMs: 0 };
  }
  const at = (p: number): number => usToMs(histogram.getValueAtPercentile(p));
  return {
    count,
    minMs: at(0),
    meanMs: usToMs(histogram.mean),
    p50Ms: at(50),
    p75Ms: at(75),
    p95Ms: at(95),
    p99Ms: at(99),
    p999Ms: at(99.9),
    p9999Ms: at(99.99),
    // The bucket's highest equivalent value, like every percentile, so a merged histogram agrees.
    maxMs: at(100),
  };
}

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
