/** The report page's own styles (uPlot's stylesheet is inlined beside them). */
export const REPORT_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #fafafa; margin: 0; }
main { max-width: 1140px; margin: 0 auto; padding: 16px 20px 40px; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #555; margin: 4px 0; }
.verdict { font-weight: 600; padding: 8px 12px; border-radius: 6px; display: inline-block; }
.verdict.ok { background: #e3f5e1; color: #1b5e20; }
.verdict.fail { background: #fde4e1; color: #b71c1c; }
table { border-collapse: collapse; margin: 12px 0; background: #fff; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e5e5; text-align: right; font-variant-numeric: tabular-nums; }
th:first-child, td:last-child:not(:nth-child(2)) { text-align: left; }
thead th { background: #f0f0f0; }
.chart { background: #fff; border: 1px solid #e5e5e5; border-radius: 6px; margin: 16px 0; padding: 8px; min-height: 40px; }
.empty { color: #777; font-style: italic; }
ul.thresholds { list-style: none; padding: 0; }
ul.thresholds li { padding: 4px 0; }
ul.thresholds li.ok b { color: #1b5e20; }
ul.thresholds li.fail b { color: #b71c1c; }
code { background: #f0f0f0; padding: 1px 4px; border-radius: 3px; }
`;
