import { describe, expect, it } from 'vitest';
import { AWS_LIMITS, resolveOptions } from '../src/options.js';
import { InvalidOptionError, LocalKinesisErrorCode } from '../src/errors.js';

describe('resolveOptions', () => {
  it('defaults to AWS limits, an ephemeral port and no faults', () => {
    const resolved = resolveOptions();
    expect(resolved.port).toBe(0);
    expect(resolved.limits).toEqual(AWS_LIMITS);
    expect(resolved.faults.internalFailureRate).toBe(0);
  });

  it('merges limit overrides over the AWS values and turns them off with "off"', () => {
    expect(resolveOptions({ limits: { burstMs: 100 } }).limits).toEqual({ ...AWS_LIMITS, burstMs: 100 });
    expect(resolveOptions({ limits: 'off' }).limits).toBeUndefined();
  });

  it.each([
    [{ port: -1 }, 'Expected `port` to be an integer in [0, 65535], got -1'],
    [{ limits: { burstMs: 0 } }, 'Expected `limits.burstMs` to be ≥ 1, got 0'],
    [{ faults: { internalFailureRate: 1.5 } }, 'Expected `faults.internalFailureRate` to be in [0, 1], got 1.5'],
    [{ faults: { latencyMs: -5 } }, 'Expected `faults.latencyMs` to be ≥ 0, got -5'],
  ] as const)('rejects %j with a spec-like message', (options, message) => {
    const attempt = (): unknown => resolveOptions(options);
    expect(attempt).toThrow(InvalidOptionError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: LocalKinesisErrorCode.InvalidOption, retriable: false });
    }
  });
});
