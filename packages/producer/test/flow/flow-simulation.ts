/**
 * A discrete-event simulation of one producer sender driving one shard through a `ShardFlow`,
 * against a simulated Kinesis shard — the evidence that the flow policy reaches the limit
 * without over-driving it.
 *
 * The simulated server is deliberately independent of the code under test: its own token
 * buckets (records/s and bytes/s, with a burst allowance), decided per entry at the moment a
 * request *arrives*, which is one jittered network latency after the sender took its tokens.
 * Timers fire a few ms late, latencies vary and sometimes spike, several requests are in flight:
 * the client's bucket and the server's therefore disagree, as they do on a real network.
 * The sender always has a backlog (fed far above capacity) and lingers `lingerMs` before sending
 * a partial batch, as a PutRecords collector does.
 */
import type { ShardFlow } from '../../src/flow/shard-flow.js';
import { seededRandom } from './helpers.js';

export interface SimScenario {
  readonly durationMs: number;
  /** Goodput is measured after this (the server's initial burst is not steady state). */
  readonly warmupMs: number;
  /** Bytes of one Kinesis record, data + partition key. */
  readonly recordBytes: number;
  readonly server: { readonly recordsPerSec: number; readonly bytesPerSec: number; readonly burstMs: number };
  readonly maxInFlight: number;
  readonly lingerMs: number;
  /** One-way latency is uniform in [min, max] ms; with `spikeProbability` it is `spikeMs` more. */
  readonly latencyMs: { readonly min: number; readonly max: number; readonly spikeProbability: number; readonly spikeMs: number };
  readonly seed: number;
  readonly makeFlow: (now: () => number, random: () => number) => ShardFlow;
}

export interface SimResult {
  readonly sentRecords: number;
  readonly acceptedRecords: number;
  readonly throttledRecords: number;
  readonly requests: number;
  /** Accepted records per second after warm-up, as a fraction of what the server allows. */
  readonly goodputRatio: number;
  /** Throttled Kinesis records / records answered, over the whole run. */
  readonly throttledRatio: number;
  readonly flow: ShardFlow;
}

interface SimEvent {
  readonly atMs: number;
  readonly seq: number;
  readonly run: () => void;
}

export function simulate(s: SimScenario): SimResult {
  const events: SimEvent[] = [];
  let clockMs = 0;
  let seq = 0;
  const schedule = (atMs: number, run: () => void): void => {
    const event = { atMs, seq: seq++, run };
    let i = events.length;
    while (i > 0 && (events[i - 1] as SimEvent).atMs > atMs) i--;
    events.splice(i, 0, event);
  };
  const netRandom = seededRandom(s.seed);
  const flow = s.makeFlow(() => clockMs, seededRandom(s.seed ^ 0x5bd1e995));
  const latency = (): number => {
    const { min, max, spikeProbability, spikeMs } = s.latencyMs;
    const base = min + netRandom() * (max - min);
    return netRandom() < spikeProbability ? base + spikeMs : base;
  };

  // The server's shard: its own buckets, full at start, no debt.
  const srv = { records: 0, bytes: 0, atMs: 0 };
  const srvCap = { records: (s.server.recordsPerSec * s.server.burstMs) / 1000, bytes: (s.server.bytesPerSec * s.server.burstMs) / 1000 };
  srv.records = srvCap.records;
  srv.bytes = srvCap.bytes;
  const serverAccepts = (): boolean => {
    const elapsedMs = clockMs - srv.atMs;
    srv.records = Math.min(srvCap.records, srv.records + (s.server.recordsPerSec * elapsedMs) / 1000);
    srv.bytes = Math.min(srvCap.bytes, srv.bytes + (s.server.bytesPerSec * elapsedMs) / 1000);
    srv.atMs = clockMs;
    if (srv.records < 1 || srv.bytes < s.recordBytes) return false;
    srv.records -= 1;
    srv.bytes -= s.recordBytes;
    return true;
  };

  const totals = { sent: 0, accepted: 0, throttled: 0, requests: 0, steadyAccepted: 0 };
  const requestRecordsMax = Math.max(1, Math.min(500, Math.floor((5 * 1024 * 1024) / s.recordBytes)));
  let inFlight = 0;
  let lastSendAtMs = 0;
  let wakeAtMs = Infinity;

  const send = (n: number): void => {
    flow.take(n, n * s.recordBytes);
    totals.sent += n;
    totals.requests += 1;
    inFlight += 1;
    lastSendAtMs = clockMs;
    schedule(clockMs + latency(), () => {
      let accepted = 0;
      for (let i = 0; i < n; i++) if (serverAccepts()) accepted += 1;
      if (clockMs >= s.warmupMs) totals.steadyAccepted += accepted;
      schedule(clockMs + latency(), () => {
        inFlight -= 1;
        totals.accepted += accepted;
        totals.throttled += n - accepted;
        flow.onOutcome({ acceptedRecords: accepted, acceptedBytes: accepted * s.recordBytes, throttledRecords: n - accepted });
        wake();
      });
    });
  };

  const wakeLater = (delayMs: number): void => {
    // Timers fire 0–4 ms late, as on a busy event loop.
    const atMs = clockMs + Math.max(1, delayMs) + netRandom() * 4;
    if (atMs >= wakeAtMs) return;
    wakeAtMs = atMs;
    schedule(atMs, () => {
      if (wakeAtMs !== atMs) return;
      wakeAtMs = Infinity;
      wake();
    });
  };

  function wake(): void {
    if (inFlight >= s.maxInFlight) return;
    const burst = flow.burstCapacity();
    const batchRecords = Math.max(1, Math.min(requestRecordsMax, burst.records, Math.floor(burst.bytes / s.recordBytes)));
    const delayMs = flow.delayMs(batchRecords, batchRecords * s.recordBytes);
    if (delayMs === 0) {
      send(batchRecords);
      wakeLater(0);
      return;
    }
    const cap = flow.capacity();
    const n = Math.min(batchRecords, cap.records, Math.floor(cap.bytes / s.recordBytes));
    const lingerLeftMs = lastSendAtMs + s.lingerMs - clockMs;
    if (lingerLeftMs <= 0 && n >= 1) {
      send(n);
      wakeLater(0);
      return;
    }
    wakeLater(Math.min(delayMs, Math.max(lingerLeftMs, flow.delayMs(1, s.recordBytes))));
  }

  wake();
  while (events.length > 0) {
    const event = events.shift() as SimEvent;
    if (event.atMs > s.durationMs) break;
    clockMs = event.atMs;
    event.run();
  }

  const allowedPerSec = Math.min(s.server.recordsPerSec, s.server.bytesPerSec / s.recordBytes);
  const steadySec = (s.durationMs - s.warmupMs) / 1000;
  return {
    sentRecords: totals.sent,
    acceptedRecords: totals.accepted,
    throttledRecords: totals.throttled,
    requests: totals.requests,
    goodputRatio: totals.steadyAccepted / (allowedPerSec * steadySec),
    throttledRatio: totals.throttled / Math.max(1, totals.accepted + totals.throttled),
    flow,
  };
}
