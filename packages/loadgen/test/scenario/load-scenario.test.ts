import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import { ScenarioError } from '../../src/scenario/scenario-error.js';

const VALID = `name: clickstream
seed: 42
stream: { name: clicks, shards: 4 }
records:
  template: clickstream
  partitionKey: { field: userId, distribution: { zipf: 0.99, keys: 100000 } }
phases:
  - { name: warmup, duration: 10s, rate: 500 }
  - { name: ramp, duration: 30s, rate: 500, rampTo: 5000 }
  - name: steady
    duration: 1m
    rate: 5000
    arrival: poisson
thresholds: ["lost == 0"]
`;

function errorOf(text: string): ScenarioError {
  try {
    parseScenarioText(text, 'scenarios/x.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('Expected a ScenarioError');
}

describe('parseScenarioText', () => {
  it('applies defaults and parses durations to milliseconds', () => {
    const scenario = parseScenarioText(VALID);
    expect(scenario.target).toEqual({ kind: 'local', limits: 'aws', port: 0 });
    expect(scenario.stream).toEqual({ name: 'clicks', shards: 4, create: true });
    expect(scenario.phases.map((p) => [p.name, p.durationMs, p.warmup, p.arrival])).toEqual([
      ['warmup', 10_000, true, 'uniform'],
      ['ramp', 30_000, false, 'uniform'],
      ['steady', 60_000, false, 'poisson'],
    ]);
    expect(scenario.records.partitionKey.distribution).toEqual({ kind: 'zipf', keys: 100_000, exponent: 0.99 });
    expect(scenario.consumer.batchSize).toBe(100);
    expect(scenario.run.drainTimeoutMs).toBe(30_000);
  });

  it.each([
    ['a bad rate on a block phase', VALID.replace('rate: 5000\n    arrival', 'rate: fast\n    arrival'), 12, 'phases[2].rate', 'Expected a number ≥ 0, got "fast"'],
    ['a negative rate in a flow mapping', VALID.replace('rate: 500 }', 'rate: -1 }'), 8, 'phases[0].rate', 'Expected a number ≥ 0, got -1'],
    ['an unknown key', VALID.replace('    arrival: poisson', '    arival: poisson'), 13, 'phases[2].arival', 'Unknown field `arival`'],
    ['an unknown top-level key', VALID + 'colour: red\n', 15, 'colour', 'Unknown field `colour`'],
    ['a bad duration', VALID.replace('duration: 1m', 'duration: soon'), 11, 'phases[2].duration', 'Expected a duration like "500ms", "10s" or "2m", got "soon"'],
    ['a bad arrival', VALID.replace('arrival: poisson', 'arrival: bursty'), 13, 'phases[2].arrival', 'Expected one of uniform, poisson, got "bursty"'],
    ['two distributions', VALID.replace('{ zipf: 0.99, keys: 100000 }', '{ zipf: 0.99, uniform: true }'), 6, 'records.partitionKey.distribution', 'Expected exactly one of'],
    ['a zipf exponent of 1', VALID.replace('zipf: 0.99', 'zipf: 1'), 6, 'records.partitionKey.distribution.zipf', 'Expected a number > 0 and < 1, got 1'],
    ['fractional shards', VALID.replace('shards: 4', 'shards: 2.5'), 3, 'stream.shards', 'Expected an integer ≥ 1 and ≤ 10000, got 2.5'],
    ['a missing stream name', VALID.replace('name: clicks, ', ''), 3, 'stream.name', 'Required field is missing'],
    ['no phases', VALID.replace(/phases:[\s\S]*thresholds/, 'phases: []\nthresholds'), 7, 'phases', 'Expected at least one phase'],
    ['two targets', VALID + 'target: { aws: { region: eu-west-1 }, endpoint: "http://127.0.0.1:1" }\n', 15, 'target', 'Expected exactly one of local, aws, endpoint'],
    ['a bad consumer batch size', VALID + 'consumer:\n  batchSize: 20000\n', 16, 'consumer.batchSize', 'Expected an integer ≥ 1 and ≤ 10000, got 20000'],
    ['a fractional backlog', VALID + 'consumer:\n  backlog: { records: 1.5 }\n', 16, 'consumer.backlog.records', 'Expected an integer ≥ 1, got 1.5'],
    ['an unknown backlog field', VALID + 'consumer:\n  backlog: { records: 10, bytes: 5 }\n', 16, 'consumer.backlog.bytes', 'Unknown field `bytes`'],
    ['a backlog read from LATEST', VALID + 'consumer:\n  startingPosition: LATEST\n  backlog: { records: 10 }\n', 16, 'consumer.startingPosition', 'Expected TRIM_HORIZON with `consumer.backlog`'],
    ['a backlog without a consumer', VALID + 'consumer:\n  enabled: false\n  backlog: { records: 10 }\n', 17, 'consumer.backlog', 'Expected `consumer.enabled: true` with a backlog to drain, got false'],
  ])('reports %s with its line and field path', (_name, text, line, fieldPath, message) => {
    const error = errorOf(text);
    expect(error.line).toBe(line);
    expect(error.fieldPath).toBe(fieldPath);
    expect(error.detail).toContain(message);
    expect(error.message.startsWith(`scenarios/x.yaml:${line}: ${fieldPath}: `)).toBe(true);
    expect(error.code).toBe('ERR_LOADGEN_SCENARIO');
  });

  it.each([
    ['broken YAML (reported where the parser gives up)', 'name: [unclosed\n', 2],
    ['a duplicate key', 'name: a\nname: b\n', 2],
    ['an empty file', '', 1],
  ])('reports %s as a user error with a line', (_name, text, line) => {
    const error = errorOf(text);
    expect(error.line).toBe(line);
  });

  it.each([
    ['uniform', { kind: 'uniform', keys: 1000 }],
    ['none', { kind: 'none' }],
    ['{ roundRobin: true, keys: 8 }', { kind: 'roundRobin', keys: 8 }],
    ['{ hotspot: 0.1, hotTraffic: 0.9, keys: 50 }', { kind: 'hotspot', keys: 50, hotFraction: 0.1, hotTrafficFraction: 0.9 }],
    ['zipf', { kind: 'zipf', keys: 1000, exponent: 0.99 }],
  ])('accepts the distribution %s', (written, parsed) => {
    const scenario = parseScenarioText(VALID.replace('{ zipf: 0.99, keys: 100000 }', written));
    expect(scenario.records.partitionKey.distribution).toEqual(parsed);
  });
});
