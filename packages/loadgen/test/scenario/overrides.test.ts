import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import { applyOverrides } from '../../src/scenario/overrides.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';
import { parseDurationMs } from '../../src/scenario/duration.js';

const scenario = parseScenarioText(`name: t
stream: { name: s, shards: 2 }
records: { template: iot }
phases:
  - { name: warmup, duration: 10s, rate: 500 }
  - { duration: 90s, rate: 500, rampTo: 5000 }
`);

describe('applyOverrides', () => {
  it('scales phase durations to the asked total and rates to the asked peak', () => {
    const out = applyOverrides(scenario, { duration: '20s', rate: 1000 });
    expect(out.phases.map((p) => p.durationMs)).toEqual([2_000, 18_000]);
    expect(out.phases.map((p) => [p.rate, p.rampTo])).toEqual([[100, undefined], [100, 1000]]);
    expect(scenario.phases[0]?.durationMs).toBe(10_000);
  });

  it('overrides shards, seed and endpoint', () => {
    const out = applyOverrides(scenario, { shards: 8, seed: 7, endpoint: 'http://127.0.0.1:4567' });
    expect(out.stream.shards).toBe(8);
    expect(out.seed).toBe(7);
    expect(out.target).toEqual({ kind: 'endpoint', endpoint: 'http://127.0.0.1:4567', region: 'us-east-1' });
  });

  it('--backlog sets consumer.backlog.records', () => {
    expect(applyOverrides(scenario, { backlog: 5_000 }).consumer.backlog).toEqual({ records: 5_000 });
    expect(scenario.consumer.backlog).toBeUndefined();
  });

  it('--backlog needs a consumer that reads from TRIM_HORIZON', () => {
    const latest = parseScenarioText('name: t\nstream: { name: s }\nrecords: { template: iot }\nphases: [{ duration: 1s, rate: 1 }]\nconsumer: { startingPosition: LATEST }\n');
    expect(() => applyOverrides(latest, { backlog: 10 })).toThrow('--backlog: Expected a consumer that is enabled and starts at TRIM_HORIZON to drain a backlog');
  });

  it.each([
    [{ duration: 'soon' }, '--duration'],
    [{ rate: -5 }, '--rate'],
    [{ shards: 0 }, '--shards'],
    [{ seed: 1.5 }, '--seed'],
    [{ endpoint: 'not a url' }, '--endpoint'],
    [{ backlog: 0 }, '--backlog'],
    [{ backlog: 2.5 }, '--backlog'],
  ])('rejects %o naming %s', (overrides, flag) => {
    expect(() => applyOverrides(scenario, overrides)).toThrow(ScenarioError);
    expect(() => applyOverrides(scenario, overrides)).toThrow(flag);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['500ms', 500],
    ['10s', 10_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1_500],
    ['0', 0],
    ['fast', undefined],
    ['10', undefined],
    ['-1s', undefined],
    ['', undefined],
  ])('%s → %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });
});
