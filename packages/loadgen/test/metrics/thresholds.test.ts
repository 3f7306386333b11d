import { describe, expect, it } from 'vitest';
import { evaluateThresholds, parseThreshold, ThresholdError } from '../../src/metrics/thresholds.js';
import { replay, type Life } from './helpers.js';

const MS = 1000;
// 100 records: publish 1..100 ms, e2e 101..199 ms (arrival = receipt); seq 99 lost, seqs 0–4 throttled once each.
const lives: Life[] = Array.from({ length: 100 }, (_, seq) => ({
  seq,
  intendedUs: seq * 10 * MS,
  ackUs: seq * 10 * MS + (seq + 1) * MS,
  consumedUs: seq === 99 ? [] : [seq * 10 * MS + (seq + 101) * MS],
  throttles: seq < 5 ? 1 : 0,
}));
const { recorder, clock } = replay(lives);
clock.set(2000 * MS);
const result = recorder.finish();

describe('thresholds', () => {
  it.each([
    ['publish.p99 < 200ms', true, 99],
    ['publish.p99 < 0.05s', false, 99],
    ['publish.p50 <= 50500us', true, 50],
    ['e2e.p99 < 2000ms', true, 199],
    ['E2E.P99 < 150', false, 199],
    ['endToEnd.max >= 199', true, 199],
    ['correctedPublish.p99.9 < 101ms', true, 100],
    ['iteratorAge.max <= 0ms', true, 0],
    ['lost == 0', false, 1],
    ['lost <= 1', true, 1],
    ['lost.rate < 1%', false, 1],
    ['lost.rate < 0.02', true, 0.01],
    ['duplicated == 0', true, 0],
    ['outOfOrder == 0', true, 0],
    ['failed != 0', false, 0],
    ['throttled.rate < 5%', true, 4.762],
    ['throttled.rate < 4%', false, 4.762],
    ['throttled == 5', true, 5],
    ['achieved >= 99%', true, 100],
    ['publishRate > 49', true, 50],
    ['consumeRate >= 50', false, 49.5],
  ])('%s → ok=%s (actual %s)', (expression, ok, actual) => {
    const [outcome] = evaluateThresholds([parseThreshold(expression)], result);
    expect(outcome).toMatchObject({ expression, ok });
    expect(outcome?.actual).toBeCloseTo(actual, 0);
    expect(outcome?.message).toMatch(/expected/);
  });

  it('fails a threshold on a metric that was not measured', () => {
    const empty = replay([]).recorder.finish();
    const [outcome] = evaluateThresholds([parseThreshold('e2e.p99 < 2000ms')], empty);
    expect(outcome).toEqual({
      expression: 'e2e.p99 < 2000ms',
      ok: false,
      actual: null,
      message: 'endToEnd.p99 was not measured, expected < 2000ms',
    });
  });

  it('explains a failed latency threshold in one line', () => {
    const [outcome] = evaluateThresholds([parseThreshold('publish.p99 < 50ms')], result);
    expect(outcome?.message).toMatch(/^publish\.p99 = 99\.\d+ms, expected < 50ms$/);
  });

  it.each([
    ['e2e.p99 2000ms', /Expected a threshold like `e2e.p99 < 2000ms`/],
    ['', /Expected a threshold/],
    ['e2e.p98 < 10ms', /Unknown metric `e2e.p98`/],
    ['latency < 10ms', /Unknown metric `latency`.*expected <histogram>/],
    ['lost < 5ms', /Expected no unit for `lost`/],
    ['e2e.p99 < 5%', /Expected a duration unit \(us, ms, s\) for `endToEnd.p99`/],
    ['throttled.rate < 5s', /Expected `%` or a bare fraction/],
    ['lost =< 0', /Expected a threshold/],
  ])('rejects %j', (expression, message) => {
    expect(() => parseThreshold(expression)).toThrow(message);
    expect(() => parseThreshold(expression)).toThrow(ThresholdError);
  });

  it('gives parse errors a stable code for the CLI', () => {
    try {
      parseThreshold('nope');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_LOADGEN_THRESHOLD', retriable: false, expression: 'nope' });
    }
  });
});
