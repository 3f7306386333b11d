/**
 * HdrHistogram's standard files from a run's encoded histograms: the `.hgrm` percentile
 * distribution (what HdrHistogram's plotter and most tooling read) and a histogram log
 * (`#[Histogram log format version 1.3]`) holding every histogram of the run, tagged by name.
 *
 * Invariant: the recorded values are µs; `.hgrm` shows them in ms (scaling ratio 1000); the log keeps
 * them raw (µs) in each entry and shows the max in ms; each entry's tag names the metric.
 */
import { decodeFromCompressedBase64, HistogramLogWriter } from 'hdr-histogram-js';
import type { HistogramName, RunResult } from '../metrics/run-result.js';

/** The `.hgrm` text of one encoded histogram, values in ms. */
export function percentileDistribution(encoded: string): string {
  const histogram = decodeFromCompressedBase64(encoded);
  return histogram.outputPercentileDistribution(5, 1000);
}

/** A histogram log with one entry per metric, tagged with the metric's name. */
export function histogramLog(result: RunResult): string {
  let text = '';
  const writer = new HistogramLogWriter((chunk: string) => (text += chunk));
  writer.outputComment(`loadgen run ${result.runId}; values in microseconds`);
  writer.outputLogFormatVersion();
  writer.outputStartTime(result.startedAtUs / 1000);
  writer.outputLegend();
  for (const [name, encoded] of Object.entries(result.histograms) as [HistogramName, string][]) {
    const histogram = decodeFromCompressedBase64(encoded);
    histogram.tag = name;
    histogram.startTimeStampMsec = result.startedAtUs / 1000;
    histogram.endTimeStampMsec = result.endedAtUs / 1000;
    // maxValueUnitRatio 1000: the interval line shows the max in ms, the payload stays in µs.
    writer.outputIntervalHistogram(histogram, 0, (result.endedAtUs - result.startedAtUs) / 1e6, 1000);
  }
  return text;
}
