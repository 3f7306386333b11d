import { describe, expect, it } from 'vitest';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { mergeEncodedHistograms, summarize } from '../../src/metrics/latency-histogram.js';
import { HISTOGRAM_NAMES } from '../../src/metrics/run-result.js';
import { encodeRecord } from '../../src/envelope.js';
import { createRunRecorder } from '../../src/metrics/run-recorder.js';
import { fakeClock, replay, RUN_ID, type Life } from './helpers.js';

const MS = 1000;

describe('run recorder', () => {
  it('does not hide coordinated omission: a 500 ms stall shows in corrected latency, not in service time', () => {
    // 1,000 records intended every 1 ms; the system stalls from 100 ms to 600 ms, so the 500 records
    // intended in the stall are sent late, all at 600 ms, and each is then acked in 1 ms.
    const lives: Life[] = Array.from({ length: 1000 }, (_, seq) => {
      const intendedUs = seq * MS;
      const sentUs = intendedUs >= 100 * MS && intendedUs < 600 * MS ? 600 * MS : intendedUs;
      return { seq, intendedUs, sentUs, ackUs: sentUs + MS, consumedUs: [sentUs + 5 * MS] };
    });
    const r = replay(lives).recorder.finish();
    expect(r.latency.publish.p99Ms).toBeCloseTo(1, 1);
    expect(r.latency.publish.maxMs).toBeCloseTo(1, 1);
    // Half the records waited 1–500 ms: p75 ≈ 250 ms, p99 ≈ 490 ms.
    expect(r.latency.sendDelay.p99Ms).toBeGreaterThan(480);
    expect(r.latency.correctedPublish.p75Ms).toBeGreaterThan(240);
    expect(r.latency.correctedPublish.p99Ms).toBeGreaterThan(480);
    expect(r.latency.endToEnd.p99Ms).toBeGreaterThan(480);
  });

  it('excludes warmup from histograms but not from accounting', () => {
    const lives: Life[] = [
      { seq: 0, intendedUs: 0, ackUs: 900 * MS, consumedUs: [950 * MS], measured: false },
      { seq: 1, intendedUs: MS, ackUs: 2 * MS, measured: false }, // warmup record lost
      { seq: 2, intendedUs: 1000 * MS, ackUs: 1003 * MS, consumedUs: [1010 * MS] },
    ];
    const r = replay(lives).recorder.finish();
    expect(r.latency.publish.count).toBe(1);
    expect(r.latency.publish.maxMs).toBeCloseTo(3, 1);
    expect(r.latency.endToEnd.count).toBe(1);
    expect(r.latency.endToEnd.maxMs).toBeCloseTo(10, 1);
    expect(r.accounting).toMatchObject({ scheduled: 3, acked: 3, consumed: 2, lost: 1, lostSeqsSample: [1], warmup: 2 });
  });

  it('splits end-to-end at the arrival timestamp and measures a record once despite duplicates', () => {
    const lives: Life[] = [
      { seq: 0, intendedUs: 0, ackUs: 20 * MS, arrivalUs: 15 * MS, consumedUs: [115 * MS, 300 * MS] },
    ];
    const r = replay(lives).recorder.finish();
    expect(r.latency.producerToStream.p50Ms).toBeCloseTo(15, 1);
    expect(r.latency.streamToConsumer.p50Ms).toBeCloseTo(100, 0);
    expect(r.latency.endToEnd).toMatchObject({ count: 1 });
    expect(r.latency.endToEnd.p50Ms).toBeCloseTo(115, 0);
    expect(r.accounting.duplicated).toBe(1);
  });

  it('writes a contiguous interval series with rates, backlog and empty intervals for a stall', () => {
    // 100 records/s for 2 s, nothing for 1.5 s, consumed 1 s late: intervals of 1 s.
    const lives: Life[] = Array.from({ length: 200 }, (_, seq) => ({
      seq,
      intendedUs: seq * 10 * MS,
      ackUs: seq * 10 * MS + 2 * MS,
      consumedUs: [seq * 10 * MS + 1000 * MS],
    }));
    const { recorder, clock } = replay(lives, 1000);
    clock.set(4500 * MS);
    const r = recorder.finish();
    expect(r.intervals.map((i) => [i.startUs / MS, i.endUs / MS])).toEqual([
      [0, 1000],
      [1000, 2000],
      [2000, 3000],
      [3000, 4000],
    ]);
    expect(r.intervals.map((i) => i.publishRate)).toEqual([100, 100, 0, 0]);
    expect(r.intervals.map((i) => i.consumeRate)).toEqual([0, 100, 100, 0]);
    expect(r.intervals.map((i) => i.backlog)).toEqual([100, 100, 0, 0]);
    expect(r.intervals[0]?.latency.publish.p50Ms).toBeCloseTo(2, 1);
    expect(r.intervals[3]?.latency.publish.count).toBe(0);
  });

  it('counts throttled attempts and reports rates and a decodable histogram per metric', () => {
    const lives: Life[] = Array.from({ length: 10 }, (_, seq) => ({
      seq,
      intendedUs: seq * 100 * MS,
      ackUs: seq * 100 * MS + 5 * MS,
      throttles: seq < 2 ? 1 : 0,
    }));
    const { recorder, clock } = replay(lives);
    clock.set(1000 * MS);
    const r = recorder.finish({ meta: { scenario: 'unit' }, consumer: { shards: 1 } });
    expect(r.throttling).toEqual({ attempts: 12, throttledAttempts: 2, throttledPercent: 16.6667 });
    expect(r.rates).toMatchObject({ targetRate: 10, publishRate: 10, achievedRatio: 1 });
    expect(r.meta).toEqual({ scenario: 'unit' });
    expect(r.consumer).toEqual({ shards: 1 });
    expect(decodeFromCompressedBase64(r.histograms.publish).totalCount).toBe(10);
    expect(Object.keys(r.histograms)).toEqual(Object.keys(r.latency));
  });

  it('decodes raw consumed data and counts records of other runs as foreign', () => {
    const clock = fakeClock();
    const recorder = createRunRecorder({ runId: RUN_ID, now: clock.now });
    const meta = { receivedUs: clock.now(), arrivalUs: clock.now(), shardId: 's', sequenceNumber: '1', partitionKey: 'k' };
    recorder.onConsumedData(encodeRecord({ runId: RUN_ID, seq: 0, intendedAtUs: clock.now() }, {}), meta);
    recorder.onConsumedData(encodeRecord({ runId: 'other', seq: 0, intendedAtUs: clock.now() }, {}), meta);
    recorder.onConsumedData(new TextEncoder().encode('plain'), meta);
    expect(recorder.finish().accounting).toMatchObject({ consumed: 1, foreign: 2, consumedNotAcked: 1 });
  });

  it('gives a live snapshot with recent rates, in-flight records, backlog and iterator age', () => {
    const clock = fakeClock(0);
    const recorder = createRunRecorder({ runId: RUN_ID, intervalMs: 1000, now: clock.now });
    for (let seq = 0; seq < 30; seq++) {
      clock.set(seq * 50 * MS);
      recorder.onScheduled(seq, clock.now(), true);
      recorder.onSent(seq, clock.now(), clock.now(), true);
      if (seq < 25) recorder.onAcked(seq, clock.now(), clock.now(), clock.now() + 4 * MS, { shardId: 's', sequenceNumber: '1', attempts: [{}] }, 'k', true);
    }
    recorder.onConsumed(
      { runId: RUN_ID, seq: 0, intendedAtUs: 0 },
      { receivedUs: 1450 * MS, arrivalUs: 1200 * MS, shardId: 's', sequenceNumber: '1', partitionKey: 'k' },
    );
    clock.set(1500 * MS);
    const live = recorder.live();
    expect(live).toMatchObject({ elapsedMs: 1500, targetRate: 20, inFlight: 5, acked: 25, consumed: 1, consumerBacklog: 24, iteratorAgeMs: 250 });
    expect(live.publishP99Ms).toBeCloseTo(4, 1);
  });

  it.each([false, true])('intervalHistograms %s: interval histograms are attached only when asked, and sum to the run', (asked) => {
    const clock = fakeClock(0);
    const recorder = createRunRecorder({ runId: RUN_ID, intervalMs: 1000, now: clock.now, intervalHistograms: asked });
    for (let seq = 0; seq < 40; seq++) {
      clock.set(seq * 100 * MS);
      const t = clock.now();
      recorder.onSent(seq, t, t + (seq % 7) * MS, true);
      recorder.onAcked(seq, t, t, t + (seq % 13) * MS, { shardId: 's', sequenceNumber: '1', attempts: [{}] }, 'k', true);
      recorder.onConsumed({ runId: RUN_ID, seq, intendedAtUs: t }, { receivedUs: t + 50 * MS, arrivalUs: t + 20 * MS, shardId: 's', sequenceNumber: '1', partitionKey: 'k' });
    }
    clock.set(4050 * MS);
    const r = recorder.finish();
    expect(r.intervals).toHaveLength(4); // [3 s, 4 s) is the last busy one; 4.00–4.05 s was idle
    if (!asked) {
      expect(r.intervals.every((i) => i.histograms === undefined)).toBe(true);
      return;
    }
    for (const name of HISTOGRAM_NAMES) {
      const merged = mergeEncodedHistograms(r.intervals.map((i) => i.histograms?.[name] ?? ''));
      expect(summarize(merged)).toEqual(r.latency[name]);
    }
  });

  it('counts() gives the live counts without percentiles, and live() percentiles are always current', () => {
    const clock = fakeClock(0);
    const recorder = createRunRecorder({ runId: RUN_ID, now: clock.now });
    const ack = (seq: number, latencyMs: number): void =>
      recorder.onAcked(seq, clock.now(), clock.now(), clock.now() + latencyMs * MS, { shardId: 's', sequenceNumber: '1', attempts: [{}] }, 'k', true);
    ack(0, 2);
    expect(recorder.live().publishP99Ms).toBeCloseTo(2, 1);
    ack(1, 400);
    ack(2, 400);
    expect(recorder.live().publishP99Ms).toBeCloseTo(400, -1);
    recorder.onConsumed({ runId: RUN_ID, seq: 1, intendedAtUs: 0 }, { receivedUs: 9 * MS, arrivalUs: 2 * MS, shardId: 's', sequenceNumber: '1', partitionKey: 'k' });
    const live = recorder.live();
    expect(recorder.counts()).toEqual({ acked: 3, consumed: 1, consumerBacklog: 2, iteratorAgeMs: 7 });
    expect(recorder.counts()).toEqual({ acked: live.acked, consumed: live.consumed, consumerBacklog: live.consumerBacklog, iteratorAgeMs: live.iteratorAgeMs });
  });

  it('counts the throttled attempts of records that finally failed, when the error carries them', () => {
    const clock = fakeClock(0);
    const recorder = createRunRecorder({ runId: RUN_ID, now: clock.now });
    const throttled = { errorCode: 'ProvisionedThroughputExceededException' };
    recorder.onFailed(0, 0, { code: 'ERR_RECORD_EXPIRED', message: 'expired', attempts: [throttled, throttled, throttled] }, true);
    recorder.onFailed(1, 0, { code: 'ERR_LOADGEN_GENERATOR', message: 'bad template' }, true);
    expect(recorder.finish().throttling).toEqual({ attempts: 3, throttledAttempts: 3, throttledPercent: 100 });
  });
});
