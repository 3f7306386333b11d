/**
 * Parses human durations (`500ms`, `10s`, `2m`, `1h`, `1m30s`) into milliseconds.
 *
 * Invariant: the result is a finite, non-negative integer number of milliseconds, or `undefined`
 * when the text is not a duration; callers turn `undefined` into a user error.
 */

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;

/** `"1m30s"` → 90000; `"0"` → 0; `"fast"`, `"10"`, `"-1s"` → undefined. */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (trimmed === '') return undefined;
  let totalMs = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < trimmed.length) {
    const start = PART.lastIndex;
    const match = PART.exec(trimmed);
    if (match === null || match.index !== start) return undefined;
    totalMs += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return Number.isFinite(totalMs) ? Math.round(totalMs) : undefined;
}

/** 90000 → "1m30s"; 500 → "500ms". Used in messages and summaries. */
export function formatDurationMs(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms % 60_000) / 1_000;
  if (minutes === 0) return `${seconds}s`;
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}
