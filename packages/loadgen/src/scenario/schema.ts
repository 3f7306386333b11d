/**
 * The scenario file's schema: every field, its default and its unit.
 *
 * Invariants: unknown keys are errors at every level (a typo never silently becomes a default);
 * durations are parsed to milliseconds here, so later stages only see numbers with units in
 * their names; the `producer:` block is passed through untouched because the producer validates
 * its own options.
 */
import { z } from 'zod';
import { keyDistributionSchema } from './key-distribution-schema.js';
import {
  booleanField,
  durationField,
  enumField,
  numberField,
  showValue,
  stringField,
} from './schema-helpers.js';

const localTarget = z.strictObject({
  /** `aws` enforces per-shard write limits (1 MiB/s, 1,000 records/s), `off` does not. */
  limits: enumField(['aws', 'off']).default('aws'),
  /** 0 = an ephemeral port. */
  port: numberField({ integer: true, min: 0, max: 65_535 }).default(0),
});

const targetSchema = z
  .strictObject({
    local: localTarget.optional(),
    aws: z.strictObject({ region: stringField('an AWS region like "us-east-1"') }).optional(),
    endpoint: z
      .url({ error: (issue) => `Expected a URL like "http://127.0.0.1:4567", got ${showValue(issue.input)}` })
      .optional(),
    /** Region sent to a custom endpoint (signing only). */
    region: stringField().optional(),
  })
  .transform((form, ctx) => {
    const present = (['local', 'aws', 'endpoint'] as const).filter((name) => form[name] !== undefined);
    if (present.length !== 1) {
      ctx.issues.push({
        code: 'custom',
        input: form,
        message: `Expected exactly one of local, aws, endpoint, got ${present.length === 0 ? 'none' : present.join(' and ')}`,
      });
      return z.NEVER;
    }
    if (form.aws !== undefined) return { kind: 'aws' as const, region: form.aws.region };
    if (form.endpoint !== undefined) {
      return { kind: 'endpoint' as const, endpoint: form.endpoint, region: form.region ?? 'us-east-1' };
    }
    const local = form.local ?? { limits: 'aws' as const, port: 0 };
    return { kind: 'local' as const, limits: local.limits, port: local.port };
  });

const phaseSchema = z
  .strictObject({
    name: stringField().optional(),
    /** How long the phase lasts. */
    duration: durationField(),
    /** Records per second at the start of the phase. */
    rate: numberField({ min: 0 }),
    /** Records per second at the end of the phase; the rate changes linearly in between. */
    rampTo: numberField({ min: 0 }).optional(),
    /** `uniform`: evenly spaced; `poisson`: exponential gaps with the same mean rate. */
    arrival: enumField(['uniform', 'poisson']).default('uniform'),
    /** Excluded from latency histograms (still accounted). Default: true when named `warmup`. */
    warmup: booleanField().optional(),
  })
  .transform(({ duration, ...phase }) => ({
    ...phase,
    durationMs: duration,
    warmup: phase.warmup ?? phase.name === 'warmup',
  }));

const templateSchema = z.union([z.string().min(1), z.record(z.string(), z.unknown())], {
  error: (issue) =>
    `Expected a built-in generator name (clickstream, iot, orders, changelog), a module path like "./gen.mjs", or a JSON template object, got ${showValue(issue.input)}`,
});

const recordsSchema = z.strictObject({
  /** Built-in name, a module path relative to the scenario file, or a JSON template object. */
  template: templateSchema,
  /** Options passed to the generator (e.g. clickstream's `checkoutProbability`). */
  options: z.record(z.string(), z.unknown()).default({}),
  partitionKey: z
    .strictObject({
      /** The record field whose value becomes the partition key; default: the generator's entity id. */
      field: stringField().optional(),
      distribution: keyDistributionSchema.default({ kind: 'uniform', keys: 1000 }),
    })
    .default({ distribution: { kind: 'uniform', keys: 1000 } }),
  /** Pad each record with a `pad` field to exactly this many bytes (when larger than natural). */
  sizeBytes: numberField({ integer: true, min: 1, max: 10 * 1024 * 1024 }).optional(),
});

const consumerSchema = z.strictObject({
  /** Read the stream at all; false measures only the producer side. */
  enabled: booleanField().default(true),
  /** Module exporting `handler(event, context)`, relative to the scenario file. */
  handler: stringField('a module path like "./handlers/sessionize.mjs"').optional(),
  /**
   * Read this stream instead of `stream.name`: the output stream a deployed pipeline writes to.
   * Records are matched by the run id in their `_loadgen` envelope, so the pipeline must carry it
   * through; records of other runs are counted as foreign.
   */
  stream: stringField('a stream name like "clicks-enriched"').optional(),
  batchSize: numberField({ integer: true, min: 1, max: 10_000 }).default(100),
  startingPosition: enumField(['TRIM_HORIZON', 'LATEST']).default('TRIM_HORIZON'),
  parallelizationFactor: numberField({ integer: true, min: 1, max: 10 }).default(1),
  maxBatchingWindowMs: numberField({ integer: true, min: 0, max: 300_000 }).default(0),
  bisectBatchOnFunctionError: booleanField().default(false),
  maximumRetryAttempts: numberField({ integer: true, min: -1, max: 10_000 }).default(-1),
  maximumRecordAgeSeconds: numberField({ integer: true, min: -1, max: 604_800 }).default(-1),
  reportBatchItemFailures: booleanField().default(false),
  /** Deaggregate KPL records before the handler sees them (Lambda itself does not). */
  deaggregate: booleanField().default(false),
  /** An invocation running longer fails with "Task timed out" (Lambda's function timeout). */
  functionTimeoutSeconds: numberField({ integer: true, min: 1, max: 900 }).default(60),
  /**
   * Backlog mode: do not read until this many acked records wait in the stream (or the phases
   * end), then start at TRIM_HORIZON and measure how fast the backlog drains.
   */
  backlog: z.strictObject({ records: numberField({ integer: true, min: 1 }) }).optional(),
}).superRefine((consumer, ctx) => {
  if (consumer.backlog === undefined) return;
  if (!consumer.enabled) ctx.addIssue({ code: 'custom', path: ['backlog'], message: 'Expected `consumer.enabled: true` with a backlog to drain, got false' });
  if (consumer.startingPosition !== 'TRIM_HORIZON') {
    ctx.addIssue({ code: 'custom', path: ['startingPosition'], message: `Expected TRIM_HORIZON with \`consumer.backlog\` (the backlog is read from the oldest record), got ${consumer.startingPosition}` });
  }
});

const runSchema = z.strictObject({
  /** After the last phase, wait at most this long for the consumer to read every acked record. */
  drainTimeout: durationField().default(30_000),
  /** Records sent but not yet acked before the scheduler waits (they count as late, never dropped). */
  maxInFlightRecords: numberField({ integer: true, min: 1 }).default(200_000),
  /** A record sent more than this after its intended time counts as late. */
  lateThreshold: durationField().default(10),
  /** Interval of the per-interval series and of progress lines. */
  reportInterval: durationField().default(10_000),
}).transform(({ drainTimeout, lateThreshold, reportInterval, ...rest }) => ({
  ...rest,
  drainTimeoutMs: drainTimeout,
  lateThresholdMs: lateThreshold,
  reportIntervalMs: reportInterval,
}));

export const scenarioSchema = z.strictObject({
  name: stringField(),
  description: z.string().optional(),
  /** Same seed, same records, keys and arrival times. */
  seed: numberField({ integer: true, min: 0, max: 4_294_967_295 }).default(1),
  target: targetSchema.default({ kind: 'local', limits: 'aws', port: 0 }),
  stream: z.strictObject({
    name: stringField(),
    shards: numberField({ integer: true, min: 1, max: 10_000 }).default(1),
    /** Create the stream when it does not exist. */
    create: booleanField().default(true),
  }),
  producer: z.record(z.string(), z.unknown()).default({}),
  records: recordsSchema,
  phases: z.array(phaseSchema).min(1, { error: 'Expected at least one phase' }),
  consumer: consumerSchema.prefault({}),
  run: runSchema.prefault({}),
  /** Checks like "e2e.p99 < 2000ms"; a failed one makes the run exit 99. */
  thresholds: z.array(stringField('a threshold like "e2e.p99 < 2000ms"')).default([]),
});

/** A validated scenario with defaults applied and durations in milliseconds. */
export type Scenario = z.output<typeof scenarioSchema>;
export type Phase = Scenario['phases'][number];
export type Target = Scenario['target'];
export type ConsumerConfig = Scenario['consumer'];
