import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import yargs from 'yargs';
import { mergeCommand, runMerge } from '../../src/commands/merge.js';
import { planCommand } from '../../src/commands/plan.js';
import { parseResult, readResult, ResultFileError } from '../../src/merge/result-file.js';
import { syntheticRun } from './synthetic-run.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'loadgen-merge-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function writeHalves(dir: string): Promise<string[]> {
  const files = [join(dir, 'a.json'), join(dir, 'b.json')];
  await writeFile(files[0] ?? '', JSON.stringify(syntheticRun({ runId: 'a', keep: (s) => s % 2 === 0 })));
  await writeFile(files[1] ?? '', JSON.stringify(syntheticRun({ runId: 'b', keep: (s) => s % 2 === 1 })));
  return files;
}

describe('loadgen merge', () => {
  it('writes the merged result, prints its summary and the histogram files', async () => {
    const dir = await tempDir();
    const files = await writeHalves(dir);
    const out: string[] = [];
    const code = await runMerge({ files, out: join(dir, 'merged.json'), runId: 'both', histograms: join(dir, 'hdr') }, { stdout: (l) => out.push(l) });
    expect(code).toBe(0);
    const merged = await readResult(join(dir, 'merged.json'));
    expect(merged.runId).toBe('both');
    expect(merged.accounting.scheduled).toBe(2000);
    expect(out[0]).toMatch(/^Run both: /);
    expect(out).toContain(`Merged 2 results into ${join(dir, 'merged.json')}`);
    expect(await readFile(join(dir, 'hdr', 'endToEnd.hlog'), 'utf8')).toContain('Tag=endToEnd,');
  });

  it('parses `merge a b -o out` through yargs', async () => {
    const dir = await tempDir();
    const files = await writeHalves(dir);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await yargs(['merge', ...files, '-o', join(dir, 'm.json')]).command(mergeCommand).strict().parseAsync();
    expect(process.exitCode).toBe(0);
    expect((await readResult(join(dir, 'm.json'))).runId).toBe('a+b');
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^Merged 2 results/));
  });

  it('parses `plan` flags through yargs', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await yargs(['plan', '--rate', '2000', '--record-bytes', '1000', '--function-ms', '300', '--shards', '4', '--json'])
      .command(planCommand)
      .strict()
      .parseAsync();
    const plan = JSON.parse(String(log.mock.calls[0]?.[0])) as { recommendedShards: number; input: { batchSize: number } };
    expect([plan.recommendedShards, plan.input.batchSize]).toEqual([6, 100]);
  });
});

describe('result files', () => {
  const valid = JSON.stringify(syntheticRun({ count: 20 }));
  const without = (path: string[]): string => {
    const o = JSON.parse(valid) as Record<string, Record<string, unknown>>;
    if (path.length === 1) delete o[path[0] ?? ''];
    else delete o[path[0] ?? '']?.[path[1] ?? ''];
    return JSON.stringify(o);
  };
  it.each([
    ['{', /^r\.json: Expected JSON, got /],
    ['[1]', /^r\.json: Expected `schemaVersion` 1, got undefined$/],
    [valid.replace('"schemaVersion":1', '"schemaVersion":2'), /^r\.json: Expected `schemaVersion` 1, got 2$/],
    [without(['intervals']), /^r\.json: Expected `intervals`, got none$/],
    [without(['histograms', 'endToEnd']), /^r\.json: Expected `histograms.endToEnd` \(compressed base64\), got none$/],
  ])('%#: rejects a bad result with the file and the field', (text, message) => {
    expect(() => parseResult(text, 'r.json')).toThrow(message);
  });

  it('names a missing file with a user-error code', async () => {
    const error = await readResult('/nonexistent/result.json').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultFileError);
    expect(error).toMatchObject({ code: 'ERR_LOADGEN_USAGE', message: '/nonexistent/result.json: Expected a readable result.json, got ENOENT' });
  });
});
