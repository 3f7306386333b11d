import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/commands/validate.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';
import { FIXTURES } from './helpers.js';

async function validate(file: string, extra: Record<string, unknown> = {}) {
  const out: string[] = [];
  const code = await validateCommand({ scenario: `${FIXTURES}${file}`, ...extra }, { stdout: (l) => out.push(l), stderr: (l) => out.push(l) });
  return { code, out };
}

describe('validateCommand', () => {
  it('prints the plan with the expected record count and sample records', async () => {
    const { code, out } = await validate('small.yaml', { samples: 2 });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('~220 over 500ms, peak 500/s; orders, hotspot: 20% of 50 keys get 80%');
    expect(out.filter((l) => l.includes('sample'))).toHaveLength(2);
    expect(out.join('\n')).toContain('"_loadgen":{"runId":"validate","seq":1');
  });

  it('shows the effect of flag overrides', async () => {
    const { out } = await validate('small.yaml', { rate: 50, duration: '10s' });
    expect(out.join('\n')).toContain('peak 50/s');
  });

  it.each([
    ['bad-threshold.yaml', 7, 'thresholds[1]', 'e2e.p99 < soon'],
    ['missing-handler.yaml', 6, 'consumer.handler', 'Cannot load handler module'],
  ])('reports %s at line %i (%s)', async (file, line, fieldPath, message) => {
    const error = await validate(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).line).toBe(line);
    expect((error as ScenarioError).fieldPath).toBe(fieldPath);
    expect((error as ScenarioError).message).toContain(message);
  });

  it('reports a missing file as a user error', async () => {
    await expect(validate('nope.yaml')).rejects.toThrow('Cannot read scenario file');
  });
});
