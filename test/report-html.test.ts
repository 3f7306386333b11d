/**
 * The HTML report in a real browser (Debian's chromium, headless, driven by playwright-core): the
 * self-contained page loads offline with no console errors and draws every chart.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../packages/loadgen/src/report/html/write-html-report.js';
import { syntheticRun } from '../packages/loadgen/test/merge/synthetic-run.js';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const CHART_TITLES = [
  'Throughput (records/s)',
  'Latency percentiles over time (ms)',
  'Latency by percentile (ms)',
  'Per-shard load and throttles (producer)',
  'Consumer lag over time',
  'Per-shard consumer IteratorAge',
];

/** CHROMIUM_PATH, else `chromium` on PATH (scripts/ensure-chromium.sh makes sure one exists). */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH !== undefined && process.env.CHROMIUM_PATH !== '') return process.env.CHROMIUM_PATH;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  return dirs.map((d) => join(d, 'chromium')).find((file) => existsSync(file)) ?? '/usr/bin/chromium';
}

let browser: Browser;
let dir: string;

// Launching chromium takes 1–5 s alone and up to ~15 s on two busy cores.
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loadgen-html-'));
  browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('HTML report in headless Chromium', () => {
  it('loads offline with no console errors, draws all six charts and takes a screenshot', async () => {
    const file = await writeHtmlReport(syntheticRun({ count: 3000 }), join(dir, 'report.html'));
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Any request beyond the file itself would be a broken self-contained page.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered]', { timeout: 20_000 });

    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.getAttribute('body', 'data-rendered')).toBe('6');
    expect(await page.locator('.u-title').allTextContents()).toEqual(CHART_TITLES);
    // Runs in the page; typed structurally since the tests compile without the DOM library.
    const sizes = await page.locator('.uplot canvas').evaluateAll((canvases) =>
      canvases.map((c) => [(c as unknown as { width: number }).width, (c as unknown as { height: number }).height]),
    );
    expect(sizes).toHaveLength(6);
    for (const [w, h] of sizes) expect(Math.min(w ?? 0, h ?? 0)).toBeGreaterThan(100);
    expect(await page.locator('#verdict').textContent()).toBe('1 of 2 thresholds failed');

    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(50_000);
    await page.close();
  }, 60_000);
});
