import { describe, expect, it } from 'vitest';
import { startSendLoop, type ProducerLike } from '../../src/commands/send-loop.js';
import type { AckResult, RunRecorder } from '../../src/metrics/run-recorder.js';
import { createRandom } from '../../src/random.js';
import { createSchedule } from '../../src/schedule/schedule.js';

type Callback = (error: Error | undefined, result: AckResult | undefined, token: number) => void;

interface Seen {
  sent: Map<number, { intendedUs: number; sentUs: number }>;
  acked: Map<number, { intendedUs: number; sentUs: number; partitionKey: string; shardId: string }>;
  failed: Map<number, string>;
}

function recorderOf(seen: Seen): RunRecorder {
  const nothing = (): void => undefined;
  const recorder: Pick<RunRecorder, 'onScheduled' | 'onSent' | 'onAcked' | 'onFailed' | 'onConsumed' | 'onConsumedData' | 'onProducerMetrics'> = {
    onScheduled: nothing,
    onSent: (seq, intendedUs, sentUs) => void seen.sent.set(seq, { intendedUs, sentUs }),
    onAcked: (seq, intendedUs, sentUs, _ackUs, result, partitionKey) => {
      expect(seen.acked.has(seq) || seen.failed.has(seq)).toBe(false);
      seen.acked.set(seq, { intendedUs, sentUs, partitionKey, shardId: result.shardId });
    },
    onFailed: (seq, _intendedUs, failure) => {
      expect(seen.acked.has(seq) || seen.failed.has(seq)).toBe(false);
      seen.failed.set(seq, failure.code);
    },
    onConsumed: nothing,
    onConsumedData: nothing,
    onProducerMetrics: nothing,
  };
  return recorder as RunRecorder;
}

/** A callback producer that settles its records out of order: newest first, in bursts. */
function shufflingProducer(maxHeld: { value: number }): ProducerLike & { flushHeld(): void } {
  const held: { key: string | undefined; callback: Callback; token: number }[] = [];
  const settle = (): void => {
    while (held.length > 0) {
      const { key, callback, token } = held.pop()!;
      const n = Number(key?.slice(1));
      if (n % 5 === 0) callback(Object.assign(new Error('refused'), { code: 'ERR_TEST' }), undefined, token);
      else callback(undefined, { shardId: `shard-for-${key}`, sequenceNumber: '1', attempts: [] }, token);
    }
  };
  return {
    put: () => Promise.reject(new Error('the callback form must be used')),
    putWithCallback(record, callback, token) {
      held.push({ key: record.partitionKey, callback, token });
      maxHeld.value = Math.max(maxHeld.value, held.length);
      if (held.length >= 3) setTimeout(settle, 0);
    },
    flushHeld: settle,
    flush: async () => settle(),
    close: async () => undefined,
    metrics: () => ({}),
  };
}

describe('send loop with a callback producer', () => {
  it('records every record exactly once with its own times and key, out-of-order settles included, within the in-flight bound', async () => {
    const seen: Seen = { sent: new Map(), acked: new Map(), failed: new Map() };
    const maxHeld = { value: 0 };
    const producer = shufflingProducer(maxHeld);
    let clockUs = 1_000_000;
    const now = (): number => (clockUs += 7);
    const schedule = createSchedule([{ durationMs: 50, rate: 4_000, arrival: 'uniform', warmup: false }], createRandom(1));
    const loop = startSendLoop({
      schedule,
      source: { next: (seq) => ({ data: new Uint8Array([seq & 0xff]), partitionKey: `k${seq}`, body: {} }) },
      producer,
      recorder: recorderOf(seen),
      now,
      startUs: 0,
      maxInFlightRecords: 7,
      lateThresholdUs: 10_000,
      setTimer: (callback) => setTimeout(callback, 0),
    });
    const stats = await loop.pacer.done;
    producer.flushHeld();
    await loop.settled();
    expect(stats.sent).toBe(200);
    expect(maxHeld.value).toBeLessThanOrEqual(7);
    expect(seen.acked.size + seen.failed.size).toBe(200);
    for (let seq = 0; seq < 200; seq++) {
      const sent = seen.sent.get(seq)!;
      if (seq % 5 === 0) {
        expect(seen.failed.get(seq)).toBe('ERR_TEST');
      } else {
        expect(seen.acked.get(seq)).toEqual({ ...sent, partitionKey: `k${seq}`, shardId: `shard-for-k${seq}` });
      }
    }
    expect(loop.inFlight()).toBe(0);
  });
});
