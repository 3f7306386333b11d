/**
 * IoT telemetry consumer, written as a Lambda function for a Kinesis event source mapping: it
 * deaggregates KPL records, keeps a running mean and variance of each device's temperature, and
 * flags anomalies — a device in `alarm`, a temperature more than 4 standard deviations from the
 * device's own mean, a low battery, and gaps or repeats in a device's `readingSeq` (lost or
 * duplicated readings upstream).
 *
 * Invariants: per-device state is module scoped (survives warm invocations) and bounded by
 * MAX_DEVICES; the running statistics are an exponentially weighted mean and variance with
 * α = 0.05 (a reading's weight halves after ~14 readings), so a slow drift is not an anomaly but a
 * jump is: with σ ≈ 0.2 °C, a reading 1 °C off the mean is 5σ and flagged.
 */
import { deaggregate } from '@shardline/producer';

const ALPHA = 0.05;
const Z_LIMIT = 4;
const MIN_READINGS = 20;
const MAX_DEVICES = 100_000;
const devices = new Map();
const anomalies = { alarm: 0, spike: 0, lowBattery: 0, gap: 0, repeat: 0 };
const totals = { invocations: 0, readings: 0, skipped: 0 };

export const handler = async (event) => {
  totals.invocations++;
  const flagged = [];
  for (const record of event.Records) {
    for (const user of deaggregate(record)) {
      let reading;
      try {
        reading = JSON.parse(Buffer.from(user.data).toString('utf8'));
      } catch {
        totals.skipped++;
        continue;
      }
      if (typeof reading?.deviceId !== 'string' || typeof reading?.metrics?.temperatureC !== 'number') {
        totals.skipped++;
        continue;
      }
      totals.readings++;
      for (const kind of inspect(reading)) {
        anomalies[kind]++;
        flagged.push({ deviceId: reading.deviceId, kind, readingSeq: reading.readingSeq });
      }
    }
  }
  // A real function would publish `flagged` to an alerting topic here.
  return { batchItemFailures: [], flagged: flagged.length };
};

function inspect(reading) {
  const found = [];
  const t = reading.metrics.temperatureC;
  let d = devices.get(reading.deviceId);
  if (d === undefined) {
    if (devices.size >= MAX_DEVICES) devices.delete(devices.keys().next().value);
    d = { mean: t, variance: 0, count: 0, lastSeq: reading.readingSeq - 1 };
    devices.set(reading.deviceId, d);
  }
  if (reading.status === 'alarm') found.push('alarm');
  if (typeof reading.batteryPct === 'number' && reading.batteryPct < 15) found.push('lowBattery');
  if (Number.isInteger(reading.readingSeq)) {
    if (reading.readingSeq <= d.lastSeq) found.push('repeat');
    else if (reading.readingSeq > d.lastSeq + 1) found.push('gap');
    d.lastSeq = Math.max(d.lastSeq, reading.readingSeq);
  }
  const deviation = t - d.mean;
  if (d.count >= MIN_READINGS && Math.abs(deviation) > Z_LIMIT * Math.sqrt(d.variance)) found.push('spike');
  // West's EWMA update of mean and variance.
  d.mean += ALPHA * deviation;
  d.variance = (1 - ALPHA) * (d.variance + ALPHA * deviation * deviation);
  d.count++;
  return found;
}

export const telemetryStats = () => ({ ...totals, anomalies: { ...anomalies }, devices: devices.size });
