/**
 * HdrHistogram's standard files, one pair per histogram of a run (or of a merged run):
 * `<metric>.hgrm` (the percentile distribution HdrHistogram's plotter reads, values in ms) and
 * `<metric>.hlog` (an interval log, `#[Histogram log format version 1.3]`, values in µs).
 *
 * Invariants:
 * - The log's entries are the run's interval histograms when the intervals carry them (a
 *   `histograms` map of compressed base64 per interval), else one entry spanning the whole run; in
 *   both cases adding the log's entries gives the run's histogram, which the tests check.
 * - Entry timestamps are seconds since the run start, which the log's `#[StartTime]` anchors to
 *   the epoch; files are written whole (write then rename).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFromCompressedBase64, HistogramLogWriter } from 'hdr-histogram-js';
import { HISTOGRAM_NAMES, type HistogramName, type RunResult } from '../metrics/run-result.js';

/** The `.hgrm` text of one encoded histogram: recorded in µs, shown in ms (scaling ratio 1000). */
function percentileDistribution(encoded: string): string {
  return decodeFromCompressedBase64(encoded).outputPercentileDistribution(5, 1000);
}

/** One entry of an interval log: [startUs, endUs) and the encoded histogram of that span. */
interface LogEntry {
  startUs: number;
  endUs: number;
  encoded: string;
}

/** An interval sample that may carry its encoded histograms (merged or per-worker results do). */
interface IntervalWithHistograms {
  startUs: number;
  endUs: number;
  histograms?: Partial<Record<string, string>>;
}

function logEntries(result: RunResult, name: HistogramName): LogEntry[] {
  const intervals = result.intervals as readonly IntervalWithHistograms[];
  const perInterval = intervals.flatMap(({ startUs, endUs, histograms }) => {
    const encoded = histograms?.[name];
    return encoded === undefined ? [] : [{ startUs, endUs, encoded }];
  });
  // Only a complete series sums to the run; otherwise one entry for the whole run.
  if (perInterval.length > 0 && perInterval.length === intervals.length) return perInterval;
  return [{ startUs: result.startedAtUs, endUs: result.endedAtUs, encoded: result.histograms[name] }];
}

/** The interval log of one histogram, tagged with its name. */
export function histogramIntervalLog(result: RunResult, name: HistogramName): string {
  let text = '';
  const writer = new HistogramLogWriter((chunk: string) => (text += chunk));
  writer.outputComment(`loadgen run ${result.runId}: ${name}, values in microseconds`);
  writer.outputLogFormatVersion();
  writer.outputStartTime(result.startedAtUs / 1000);
  writer.outputLegend();
  for (const entry of logEntries(result, name)) {
    const histogram = decodeFromCompressedBase64(entry.encoded);
    histogram.tag = name;
    // maxValueUnitRatio 1000: the line's max reads in ms; the payload keeps µs.
    const startSec = (entry.startUs - result.startedAtUs) / 1e6;
    writer.outputIntervalHistogram(histogram, startSec, (entry.endUs - result.startedAtUs) / 1e6, 1000);
  }
  return text;
}

/** Writes `<metric>.hgrm` and `<metric>.hlog` for every histogram into `dir`; returns the paths. */
export async function writeHistogramFiles(result: RunResult, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const name of HISTOGRAM_NAMES) {
    const files: [string, string][] = [
      [`${name}.hgrm`, percentileDistribution(result.histograms[name])],
      [`${name}.hlog`, histogramIntervalLog(result, name)],
    ];
    for (const [file, text] of files) {
      const path = join(dir, file);
      await writeFile(`${path}.tmp`, text);
      await rename(`${path}.tmp`, path);
      written.push(path);
    }
  }
  return written;
}
