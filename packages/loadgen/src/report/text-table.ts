/**
 * Plain-text tables for the console summary: the first column left-aligned (a row label) unless
 * `labelled` is false, the others right-aligned, columns as wide as their widest cell, two spaces apart.
 */
export function formatTable(rows: readonly (readonly string[])[], labelled = true, indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i === 0 && labelled ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
  );
}

/** 1234.5678 → "1,234.6"; values under 10 keep 3 decimals (0.123 ms), 10–100 keep 2, above 1. */
export function formatNumber(value: number): string {
  const digits = Math.abs(value) < 10 ? 3 : Math.abs(value) < 100 ? 2 : 1;
  return value.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(value) ? 0 : digits });
}
