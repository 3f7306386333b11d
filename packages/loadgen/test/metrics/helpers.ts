import { createRunRecorder, type RunRecorder } from '../../src/metrics/run-recorder.js';

/** A settable clock in µs. */
export function fakeClock(startUs = 1_700_000_000_000_000): { now: () => number; set: (us: number) => void; advance: (us: number) => void } {
  let t = startUs;
  return { now: () => t, set: (us) => (t = us), advance: (us) => (t += us) };
}

export const RUN_ID = 'run-test';

/** One record's life, all times relative to the clock start in µs. */
export interface Life {
  seq: number;
  intendedUs: number;
  sentUs?: number;
  ackUs?: number;
  failCode?: string;
  consumedUs?: number[];
  arrivalUs?: number;
  key?: string;
  measured?: boolean;
  throttles?: number;
}

/** Creates a recorder and replays lives through it in the order given (events in time order). */
export function replay(lives: readonly Life[], intervalMs = 10_000): { recorder: RunRecorder; clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock(0);
  const recorder = createRunRecorder({ runId: RUN_ID, intervalMs, now: clock.now });
  type Ev = { at: number; order: number; run: () => void };
  const events: Ev[] = [];
  for (const l of lives) {
    const measured = l.measured ?? true;
    const key = l.key ?? 'k';
    events.push({ at: l.intendedUs, order: 0, run: () => recorder.onScheduled(l.seq, l.intendedUs, measured) });
    const sentUs = l.sentUs ?? l.intendedUs;
    if (l.failCode !== undefined) {
      events.push({
        at: sentUs,
        order: 1,
        run: () => recorder.onFailed(l.seq, l.intendedUs, { code: l.failCode ?? '', message: `${l.failCode} happened` }, measured),
      });
    } else {
      events.push({ at: sentUs, order: 1, run: () => recorder.onSent(l.seq, l.intendedUs, sentUs, measured) });
    }
    if (l.ackUs !== undefined) {
      const ackUs = l.ackUs;
      const attempts = [
        ...Array.from({ length: l.throttles ?? 0 }, () => ({ errorCode: 'ProvisionedThroughputExceededException' })),
        {},
      ];
      events.push({
        at: ackUs,
        order: 2,
        run: () =>
          recorder.onAcked(l.seq, l.intendedUs, sentUs, ackUs, { shardId: 's0', sequenceNumber: String(l.seq), attempts }, key, measured),
      });
    }
    for (const [i, receivedUs] of (l.consumedUs ?? []).entries()) {
      events.push({
        at: receivedUs,
        order: 3,
        run: () =>
          recorder.onConsumed(
            { runId: RUN_ID, seq: l.seq, intendedAtUs: l.intendedUs },
            { receivedUs, arrivalUs: l.arrivalUs ?? receivedUs, shardId: 's0', sequenceNumber: `${l.seq}-${i}`, partitionKey: key },
          ),
      });
    }
  }
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  for (const e of events) {
    clock.set(e.at);
    e.run();
  }
  return { recorder, clock };
}
