/** @shardline/loadgen — the public surface: scenarios, schedules, generators and the run itself. */
export { runCommand, ExitCode, type RunArgs, type RunDeps } from './commands/run.js';
export { defaultRunDeps } from './commands/default-run-deps.js';
export { validateCommand, type ValidateArgs, type CommandIo } from './commands/validate.js';
export { runCli, reportError, type CliHandlers, type CliOptions } from './cli-app.js';
export { loadScenarioFile, parseScenarioText, parseScenarioDocument, type LoadedScenario } from './scenario/load-scenario.js';
export { scenarioSchema, type Scenario, type Phase, type Target, type ConsumerConfig } from './scenario/schema.js';
export type { KeyDistribution } from './scenario/key-distribution-schema.js';
export { applyOverrides, type ScenarioOverrides } from './scenario/overrides.js';
export { ScenarioError } from './scenario/scenario-error.js';
export { parseDurationMs } from './scenario/duration.js';
export { createSchedule, phaseCountAt, type Schedule, type SchedulePhase } from './schedule/schedule.js';
export { startPacer, type Pacer, type PacerOptions, type PacerStats } from './schedule/pacer.js';
export { createPartSchedule, composeParts, unsplitIndex, type WorkerPart } from './schedule/part-schedule.js';
export { createKeyChooser, type KeyChooser } from './keys/key-chooser.js';
export { BUILT_IN_GENERATORS, loadGenerator } from './generators/load-generator.js';
export { createRecordSource, type RecordSource, type SourceRecord } from './generators/record-source.js';
export type { RecordGenerator, GeneratorFactory, GeneratorInit, RecordContext } from './generators/generator.js';
export { createRandom, forkRandom, type Random } from './random.js';
export { nowUs } from './clock.js';
export { encodeRecord, decodeEnvelope, type Envelope } from './envelope.js';
export { createRunRecorder, type RunRecorder } from './metrics/run-recorder.js';
export type { RunResult } from './metrics/run-result.js';
export type { BacklogReport } from './metrics/backlog-monitor.js';
export { mergeResults } from './merge/merge-results.js';
export {
  startEventSourceMapping,
  type EventSourceMapping,
  type EventSourceMappingOptions,
  type EventSourceMappingStats,
  type ConsumedRecord,
} from './consumer/event-source-mapping.js';
export type { KinesisEvent, KinesisEventRecord, KinesisHandler, LambdaContext, HandlerResponse } from './consumer/lambda-event.js';
export { parseThreshold, parseThresholds, evaluateThresholds, ThresholdError, type Threshold } from './metrics/thresholds.js';
export { writeReport, formatResultJson, type ReportOptions } from './report/write-report.js';
export { formatSummary } from './report/summary.js';
