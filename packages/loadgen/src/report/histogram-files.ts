/**
 * HdrHistogram's `.hgrm` percentile distribution (what HdrHistogram's plotter and most tooling
 * read) of an encoded histogram.
 *
 * Invariant: the recorded values are µs; the distribution shows them in ms (scaling ratio 1000).
 */
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';

/** The `.hgrm` text of one encoded histogram, values in ms. */
export function percentileDistribution(encoded: string): string {
  const histogram = decodeFromCompressedBase64(encoded);
  return histogram.outputPercentileDistribution(5, 1000);
}
