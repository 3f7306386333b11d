/**
 * The producer's engine: routes admitted records into per-shard buffers, decides when a
 * PutRecords request is due, sends it, and settles or retries what came back.
 *
 * Flow of a record (one way): route (partitioner) → accumulate (accumulator) → collect (collector,
 * asking flow control per shard) → send (sender) → settle (settle.ts) | back to accumulate.
 *
 * Invariants:
 * - every admitted record settles exactly once: resolved with where it landed, or rejected with a
 *   typed error (fatal error code, expiry, close) — see `#onOutcomes`, `#retry`, `#expire`;
 * - a request is due when it would be full (records or bytes), when the oldest buffered record has
 *   waited `lingerMs`, or when a flush asks for it;
 * - with `ordering: 'per-shard'` a shard has at most one request in flight and one Kinesis record
 *   per request (PutRecords does not promise order between entries), retries go first;
 * - nothing runs while idle: no timer is armed unless a record is waiting.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { Accumulator } from './accumulator.js';
import { collectRequest, type CollectLimits } from './collector.js';
import { InvalidRecordError, RecordExpiredError, RecordFailedError, StreamNotReadyError } from './errors.js';
import type { EventHub } from './events.js';
import { fullJitterDelayMs } from './flow/backoff.js';
import { classifyError, type FailureKind } from './flow/failure-kind.js';
import type { FlowGate } from './flow-gate.js';
import type { MetricsRecorder } from './metrics.js';
import { Ordering, type ResolvedOptions } from './options.js';
import type { OutputSlabs } from './output-slabs.js';
import type { Partitioner } from './partitioner.js';
import type { KinesisEntry, PendingRecord } from './pending.js';
import { sendPutRecords, type SendReport } from './sender.js';
import type { Settle } from './settle.js';
import { describeStreamLimits, listOpenShards, ShardMap, type ShardInfo, type StreamLimits } from './shard-map.js';

export interface PipelineDeps {
  readonly options: ResolvedOptions;
  readonly client: KinesisClient;
  readonly settle: Settle;
  readonly metrics: MetricsRecorder;
  readonly events: EventHub;
  readonly gate: FlowGate;
  readonly partitioner: Partitioner;
  /** Reused memory for aggregates, when the client keeps no reference to a request's data. */
  readonly slabs: OutputSlabs | undefined;
}

interface WaitingRecord {
  readonly record: PendingRecord;
  readonly explicitHash: bigint | undefined;
}

/** How often the shard map is re-read even when nothing hints at resharding. */
const SHARD_MAP_MAX_AGE_MS = 60_000;

export class Pipeline {
  readonly #o: ResolvedOptions;
  readonly #d: PipelineDeps;
  #accumulator: Accumulator | undefined;
  #map: ShardMap | undefined;
  #mapReadAtMs = 0;
  #limits: StreamLimits | undefined;
  #initError: Error | undefined;
  #waitingForMap: WaitingRecord[] = [];
  #inFlight = 0;
  readonly #busyShards = new Set<string>();
  #cursor = 0;
  #drainQueued = false;
  #timer: NodeJS.Timeout | undefined;
  #timerAtMs = Infinity;
  #refreshing: Promise<void> | undefined;
  #initAttempts = 0;
  /** While > 0, everything buffered is due at once. */
  flushing = 0;
  readonly ready: Promise<void>;

  readonly #backoff: { readonly baseMs: number; readonly capMs: number };
  readonly #requestLimits: CollectLimits;

  constructor(deps: PipelineDeps) {
    this.#d = deps;
    this.#o = deps.options;
    this.#backoff = { baseMs: deps.options.backoffBaseMs, capMs: deps.options.backoffCapMs };
    const o = deps.options;
    this.#requestLimits = { maxRequestRecords: o.maxRequestRecords, maxRequestBytes: o.maxRequestBytes, perShard: o.ordering === Ordering.PerShard };
    this.ready = this.#init();
  }

  get inFlightRequests(): number {
    return this.#inFlight;
  }
  get maxRecordBytes(): number | undefined {
    return this.#limits?.maxRecordBytes;
  }
  get shardMap(): ShardMap | undefined {
    return this.#map;
  }
  get accumulator(): Accumulator | undefined {
    return this.#accumulator;
  }

  async #init(): Promise<void> {
    for (;;) {
      try {
        const [shards, limits] = await Promise.all([
          listOpenShards(this.#d.client, this.#o),
          describeStreamLimits(this.#d.client, this.#o),
        ]);
        this.#limits = limits;
        this.#accumulator = new Accumulator({
          aggregation: this.#o.aggregation.enabled,
          // The outer partition key (≤ 256 characters, ≤ 1,024 UTF-8 bytes) counts toward the record limit.
          maxAggregateBytes: Math.min(this.#o.aggregation.maxBytes, limits.maxRecordBytes - 1024),
          maxRecords: this.#o.aggregation.maxRecords,
          // The runs in use at once hold at most a full buffer's records (runs of one, all of them
          // when not aggregating, never take arrays).
          maxPooledRecords: this.#o.maxBufferedRecords,
          ...(this.#d.slabs === undefined ? {} : { slabs: this.#d.slabs }),
        });
        this.#setMap(shards);
        const waiting = this.#waitingForMap;
        this.#waitingForMap = [];
        for (const w of waiting) this.#routeOrReject(w.record, w.explicitHash);
        this.#scheduleDrain();
        return;
      } catch (error) {
        const failure = classifyError(error);
        const message = `Stream ${this.#o.streamName} could not be described: ${error instanceof Error ? error.message : String(error)}`;
        if (failure.kind === 'fatal') {
          this.#initError = new StreamNotReadyError(message, error, false);
          for (const w of this.#waitingForMap) this.#d.settle.reject(w.record, this.#initError);
          this.#waitingForMap = [];
          return;
        }
        this.#initAttempts++;
        this.#expireWaiting(this.#o.now());
        await new Promise((r) => setTimeout(r, fullJitterDelayMs(this.#initAttempts, this.#backoff, this.#o.random)));
      }
    }
  }

  #setMap(shards: readonly ShardInfo[]): void {
    const version = (this.#map?.version ?? 0) + 1;
    this.#map = new ShardMap(shards, version);
    this.#mapReadAtMs = this.#o.now();
    this.#d.gate.retain(new Set(shards.map((s) => s.shardId)));
  }

  /**
   * Takes an admitted record into the pipeline. The record object is not kept (its fields are
   * copied), so the caller may reuse it for the next record.
   */
  submit(record: PendingRecord, explicitHash: bigint | undefined): void {
    if (this.#initError !== undefined) return this.#d.settle.reject(record, this.#initError);
    if (this.#map === undefined) {
      this.#waitingForMap.push({ record: { ...record }, explicitHash });
      return;
    }
    if (!this.#routeOrReject(record, explicitHash)) return;
    const acc = this.#accumulator as Accumulator;
    if (acc.sealedCount >= this.#o.maxRequestRecords || acc.sealedBytes >= this.#o.maxRequestBytes || this.flushing > 0) {
      this.#scheduleDrain();
    } else {
      this.#armTimer(record.batch.putAtMs + this.#o.lingerMs);
    }
  }

  /** Routes the record; a failure while routing rejects it (never leaves its promise pending). */
  #routeOrReject(record: PendingRecord, explicitHash: bigint | undefined): boolean {
    try {
      this.#route(record, explicitHash);
      return true;
    } catch (error) {
      const message = `Routing failed: ${error instanceof Error ? error.message : String(error)}`;
      if (!record.settled) this.#d.settle.reject(record, new RecordFailedError(record.user, record.priorAttempts ?? [], 'InternalProducerError', message, error));
      return false;
    }
  }

  #route(record: PendingRecord, explicitHash: bigint | undefined): void {
    const map = this.#map as ShardMap;
    const limit = this.#limits?.maxRecordBytes ?? Infinity;
    if (record.data.length + record.partitionKeyBytes > limit) {
      const message = `Expected \`data\` plus \`partitionKey\` to be at most ${limit} bytes (the stream's record limit), got ${record.data.length + record.partitionKeyBytes}`;
      return this.#d.settle.reject(record, new InvalidRecordError('data', message, record.user));
    }
    const index = this.#d.partitioner.route(record, map, explicitHash);
    const shard = map.shards[index];
    if (shard === undefined) throw new Error(`Partitioner returned shard index ${index} of ${map.shards.length}`);
    (this.#accumulator as Accumulator).add(record, shard.shardId, map.version);
  }

  /** Runs the drain loop soon (once per turn of the event loop, however many puts asked). */
  scheduleDrain(): void {
    this.#scheduleDrain();
  }

  // Callbacks made once: an arrow function written inside #scheduleDrain or #armTimer would make
  // V8 allocate its closure context on every call, including the many that return early (once per
  // record under load).
  readonly #drainSoon = (): void => this.#drain();
  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#timerAtMs = Infinity;
    this.#drain();
  };

  #scheduleDrain(): void {
    if (this.#drainQueued) return;
    this.#drainQueued = true;
    setImmediate(this.#drainSoon);
  }

  #armTimer(atMs: number): void {
    if (atMs >= this.#timerAtMs || !Number.isFinite(atMs)) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAtMs = atMs;
    this.#timer = setTimeout(this.#onTimer, Math.max(0, atMs - this.#o.now()));
  }

  #drain(): void {
    this.#drainQueued = false;
    const acc = this.#accumulator;
    const now = this.#o.now();
    if (acc === undefined) return this.#expireWaiting(now);
    if (now - this.#mapReadAtMs > SHARD_MAP_MAX_AGE_MS && this.#hasWork()) this.#refreshMap();
    const flushing = this.flushing > 0;
    const linger = this.#o.lingerMs;
    let nextWakeMs = Infinity;
    let oldestSealedMs = Infinity;
    for (const buffer of [...acc.buffers()]) {
      const open = buffer.open;
      if (open.count > 0) {
        // A shard with sealed records still waiting (for tokens, or behind a retry) keeps filling
        // its open aggregate instead of sealing a small one every lingerMs: under overload that
        // keeps aggregates near maxBytes (50 KB) instead of a linger's worth (a few KB).
        const backlogged = buffer.head < buffer.sealed.length;
        const putAtMs = open.firstPutAtMs;
        const deadlineMs = open.deadlineMs;
        if (flushing || deadlineMs <= now || (!backlogged && now - putAtMs >= linger)) acc.seal(buffer);
        else if (!backlogged) nextWakeMs = Math.min(nextWakeMs, putAtMs + linger, deadlineMs);
        else nextWakeMs = Math.min(nextWakeMs, deadlineMs);
      }
      let head = acc.peek(buffer);
      while (head !== undefined && head.run.deadlineMs <= now) {
        acc.shift(buffer);
        this.#expire(head, now);
        head = acc.peek(buffer);
      }
      if (head !== undefined) {
        oldestSealedMs = Math.min(oldestSealedMs, head.run.firstPutAtMs);
        nextWakeMs = Math.min(nextWakeMs, head.run.deadlineMs);
      }
    }
    const o = this.#o;
    const due = flushing || acc.sealedCount >= o.maxRequestRecords || acc.sealedBytes >= o.maxRequestBytes || oldestSealedMs + linger <= now;
    if (!due) nextWakeMs = Math.min(nextWakeMs, oldestSealedMs + linger);
    while (due && acc.sealedCount > 0 && this.#inFlight < o.maxInFlightRequests) {
      const { entries, waitMs } = collectRequest(acc, this.#d.gate, this.#requestLimits, this.#busyShards, this.#cursor++, now);
      if (entries.length === 0) {
        nextWakeMs = Math.min(nextWakeMs, now + Math.max(1, waitMs));
        break;
      }
      void this.#send(entries);
    }
    if (Number.isFinite(nextWakeMs)) this.#armTimer(nextWakeMs);
  }

  #hasWork(): boolean {
    return (this.#accumulator?.sealedCount ?? 0) > 0 || this.#inFlight > 0;
  }

  async #send(entries: KinesisEntry[]): Promise<void> {
    this.#inFlight++;
    const perShard = this.#o.ordering === Ordering.PerShard;
    if (perShard) for (const e of entries) this.#busyShards.add(e.shardId);
    this.#d.metrics.putRecordsRequests++;
    const report = await sendPutRecords({ client: this.#d.client, stream: this.#o, requestTimeoutMs: this.#o.requestTimeoutMs, now: this.#o.now }, entries);
    this.#inFlight--;
    if (perShard) for (const e of entries) this.#busyShards.delete(e.shardId);
    this.#d.metrics.requestLatency.record(report.durationMs);
    try {
      if (report.outcomes === undefined) this.#onRequestFailure(entries, report);
      else this.#onOutcomes(entries, report, report.outcomes);
    } catch (error) {
      // A bug in result handling must not strand records: fail what is still unsettled, loudly.
      // Memory is not released here: an entry may already be queued again for a retry.
      for (const e of entries) this.#rejectRest(e, 'InternalProducerError', error instanceof Error ? error.message : String(error), error);
    }
    this.#scheduleDrain();
  }

  #onRequestFailure(entries: KinesisEntry[], report: SendReport): void {
    const failure = report.requestFailure as NonNullable<SendReport['requestFailure']>;
    const now = this.#o.now();
    if (failure.failure.kind === 'throttled') {
      // A whole call refused for throughput: every shard in it counts the entries as throttled.
      const perShard = new Map<string, number>();
      for (const e of entries) perShard.set(e.shardId, (perShard.get(e.shardId) ?? 0) + 1);
      for (const [shardId, n] of perShard) this.#d.gate.onOutcome(shardId, { acceptedRecords: 0, acceptedBytes: 0, throttledRecords: n });
    }
    for (const entry of entries) {
      entry.attempts.push({ startedAt: report.startedAt, durationMs: report.durationMs, errorCode: failure.failure.code, errorMessage: failure.message });
      this.#d.metrics.error(failure.failure.code);
      if (failure.failure.kind === 'fatal') this.#fail(entry, failure.failure.code, failure.message, failure.error);
      else this.#retry(entry, failure.failure.kind, failure.failure.code, now);
    }
  }

  #onOutcomes(entries: KinesisEntry[], report: SendReport, outcomes: NonNullable<SendReport['outcomes']>): void {
    const now = this.#o.now();
    const m = this.#d.metrics;
    const perShard = new Map<string, { acceptedRecords: number; acceptedBytes: number; throttledRecords: number }>();
    const tally = (id: string) => {
      let t = perShard.get(id);
      if (t === undefined) perShard.set(id, (t = { acceptedRecords: 0, acceptedBytes: 0, throttledRecords: 0 }));
      return t;
    };
    let unexpectedShard = false;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i] as KinesisEntry;
      const outcome = outcomes[i] as (typeof outcomes)[number];
      if (outcome.ok) {
        entry.attempts.push({ startedAt: report.startedAt, durationMs: report.durationMs });
        const t = tally(entry.shardId);
        t.acceptedRecords++;
        t.acceptedBytes += entry.bytes;
        const shardCounters = m.shard(outcome.shardId);
        shardCounters.kinesisRecordsPut++;
        shardCounters.bytesPut += entry.bytes;
        m.kinesisRecordsPut++;
        m.bytesPut += entry.bytes;
        m.userRecordsInKinesisRecords += entry.run.count;
        if (outcome.shardId !== entry.shardId) unexpectedShard = true;
        this.#resolveEntry(entry, outcome.shardId, outcome.sequenceNumber, now);
        continue;
      }
      entry.attempts.push({ startedAt: report.startedAt, durationMs: report.durationMs, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage });
      m.error(outcome.errorCode);
      if (outcome.failure.kind === 'throttled') {
        tally(entry.shardId).throttledRecords++;
        m.throttledRecords++;
        m.shard(entry.shardId).throttledRecords++;
      }
      if (outcome.failure.kind === 'fatal') this.#fail(entry, outcome.errorCode, outcome.errorMessage, undefined);
      else this.#retry(entry, outcome.failure.kind, outcome.errorCode, now);
    }
    for (const [shardId, t] of perShard) {
      this.#d.gate.onOutcome(shardId, t);
      if (t.throttledRecords > 0 && this.#d.events.has('throttle')) {
        const s = this.#d.gate.flow(shardId).snapshot();
        this.#d.events.emit('throttle', { shardId, throttledRecords: t.throttledRecords, allowedRecordsPerSec: s.allowedRecordsPerSec, allowedBytesPerSec: s.allowedBytesPerSec });
      }
    }
    if (unexpectedShard) this.#refreshMap();
  }

  #resolveEntry(entry: KinesisEntry, shardId: string, sequenceNumber: string, now: number): void {
    const run = entry.run;
    const buffering = this.#d.metrics.bufferingTime;
    for (let j = run.settled; j < run.count; j++) buffering.record(now - run.batchAt(j).putAtMs);
    const attempts = entry.attempts;
    if (entry.aggregated) {
      this.#d.settle.resolveRun(run, (j) => ({ shardId, sequenceNumber, subSequenceNumber: j, attempts: run.attemptsOf(j, attempts) }));
    } else {
      this.#d.settle.resolveRun(run, (j) => ({ shardId, sequenceNumber, attempts: run.attemptsOf(j, attempts) }));
    }
    (this.#accumulator as Accumulator).release(entry);
  }

  /** Rejects the entry's records for good (a fatal error): the entry is done. */
  #fail(entry: KinesisEntry, code: string, message: string, cause: unknown): void {
    this.#rejectRest(entry, code, message, cause);
    (this.#accumulator as Accumulator).release(entry);
  }

  #rejectRest(entry: KinesisEntry, code: string, message: string, cause: unknown): void {
    const run = entry.run;
    this.#d.settle.rejectRun(run, (j) => new RecordFailedError(run.userAt(j), [...run.attemptsOf(j, entry.attempts)], code, message, cause));
  }

  /** Takes an entry that will not be sent again apart into its unsettled records. */
  #takeApart(entry: KinesisEntry): PendingRecord[] {
    const records = entry.run.take(entry.attempts);
    (this.#accumulator as Accumulator).release(entry);
    return records;
  }

  #retry(entry: KinesisEntry, kind: FailureKind, code: string, now: number): void {
    // Only failures the entry backs off for count toward its backoff: an entry throttled eight times
    // and then refused once with InternalFailure waits [0, 2 × baseMs), not [0, 2^9 × baseMs) — and
    // while it waits at the head of its shard's queue, nothing behind it goes.
    if (kind !== 'throttled') entry.failures++;
    if (entry.run.deadlineMs <= now) return this.#expire(entry, now);
    const map = this.#map as ShardMap;
    if (map.indexOfShardId(entry.shardId) === undefined) {
      // The shard closed under us: its records take the new map's route (never resend the old aggregate).
      return this.#reroute(this.#takeApart(entry));
    }
    // Throttles are paced by the shard's flow control (its own backoff); other failures back off per entry.
    const delayMs = kind === 'throttled' ? 0 : fullJitterDelayMs(entry.failures, this.#backoff, this.#o.random);
    entry.notBeforeMs = now + delayMs;
    this.#d.metrics.retries++;
    this.#d.metrics.shard(entry.shardId).retries++;
    if (this.#d.events.has('retry')) this.#d.events.emit('retry', { shardId: entry.shardId, records: entry.run.count - entry.run.settled, errorCode: code, delayMs });
    (this.#accumulator as Accumulator).unshift(entry);
  }

  #reroute(records: readonly PendingRecord[]): void {
    for (const r of records) {
      if (r.settled) continue;
      // Records the producer routed itself (keyless, balanced) are routed afresh.
      const explicit = r.userExplicitHashKey === undefined ? undefined : r.hashKey;
      if (explicit === undefined) r.explicitHashKey = undefined;
      this.#routeOrReject(r, explicit);
    }
    this.#scheduleDrain();
  }

  /** Rejects the entry's expired records; re-routes the rest. */
  #expire(entry: KinesisEntry, now: number): void {
    const survivors: PendingRecord[] = [];
    let expired = 0;
    for (const r of this.#takeApart(entry)) {
      if (r.batch.deadlineMs <= now) {
        this.#d.metrics.userRecordsExpired++;
        this.#d.settle.reject(r, new RecordExpiredError(r.user, r.priorAttempts ?? [], this.#o.recordTtlMs));
        expired++;
      } else {
        survivors.push(r);
      }
    }
    if (expired > 0 && this.#d.events.has('expired')) this.#d.events.emit('expired', { records: expired });
    if (survivors.length > 0) this.#reroute(survivors);
  }

  #expireWaiting(now: number): void {
    const keep: WaitingRecord[] = [];
    for (const w of this.#waitingForMap) {
      if (w.record.batch.deadlineMs <= now) {
        this.#d.metrics.userRecordsExpired++;
        this.#d.settle.reject(w.record, new RecordExpiredError(w.record.user, [], this.#o.recordTtlMs));
      } else keep.push(w);
    }
    this.#waitingForMap = keep;
  }

  /** Re-reads the shard map (deduplicated); buffered records of closed shards are re-routed. */
  #refreshMap(): void {
    if (this.#refreshing !== undefined) return;
    this.#refreshing = listOpenShards(this.#d.client, this.#o)
      .then((shards) => {
        const ids = new Set(shards.map((s) => s.shardId));
        const current = this.#map as ShardMap;
        const same = current.shards.length === ids.size && current.shards.every((s) => ids.has(s.shardId));
        this.#mapReadAtMs = this.#o.now();
        if (same) return;
        this.#setMap(shards);
        const acc = this.#accumulator as Accumulator;
        const gone = [...acc.buffers()].map((b) => b.shardId).filter((id) => !ids.has(id));
        for (const id of gone) this.#reroute(acc.evict(id));
        acc.prune();
        this.#d.events.emit('reshard', { version: (this.#map as ShardMap).version, shardIds: [...ids] });
      })
      .catch(() => {
        // Keep the old map; the next unexpected shard or the age check tries again.
      })
      .finally(() => {
        this.#refreshing = undefined;
        this.#scheduleDrain();
      });
  }

  /** Stops timers (the producer is closed and drained). */
  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAtMs = Infinity;
  }
}
