/**
 * IoT telemetry, one stateful device per key: each reading continues the device's own random walk.
 *
 * Invariants: a device's `readingSeq` increases by 1 per reading; temperature drifts by a
 * Gaussian step (σ = 0.2 °C) around its own baseline instead of jumping; the battery only drains
 * (0.01% per reading, so ~10,000 readings from full to empty); status is `alarm` above
 * `alarmTemperatureC`, `warning` within 5 °C of it or under 15% battery, `ok` otherwise.
 */
import type { BuiltInGenerator, GeneratorInit, RecordContext, RecordGenerator } from './generator.js';
import { entityId, gaussian, isoFromUs, numberOption, pick } from './sampling.js';

const MODELS = ['th-sensor-v2', 'th-sensor-v3', 'env-hub-1'] as const;
const FIRMWARE = ['1.4.2', '1.5.0', '2.0.1'] as const;

interface Device {
  deviceId: string;
  model: string;
  firmware: string;
  baselineC: number;
  temperatureC: number;
  humidityPct: number;
  batteryPct: number;
  readingSeq: number;
  latitude: number;
  longitude: number;
}

export function createIotGenerator({ random, options, keys }: GeneratorInit): RecordGenerator {
  const alarmTemperatureC = numberOption(options, 'alarmTemperatureC', 35, -100, 200);
  const deviceCount = keys > 0 ? keys : numberOption(options, 'devices', 1_000, 1);
  const devices = new Map<number, Device>();

  function install(index: number): Device {
    const baselineC = gaussian(random, 22, 4);
    return {
      deviceId: entityId('device', index),
      model: pick(random, MODELS),
      firmware: pick(random, FIRMWARE),
      baselineC,
      temperatureC: baselineC,
      humidityPct: 30 + random() * 40,
      batteryPct: 60 + random() * 40,
      readingSeq: 0,
      latitude: Math.round((random() * 140 - 70) * 1e5) / 1e5,
      longitude: Math.round((random() * 360 - 180) * 1e5) / 1e5,
    };
  }

  return {
    next({ keyIndex, intendedAtUs }: RecordContext) {
      const index = keyIndex ?? Math.floor(random() * deviceCount);
      let device = devices.get(index);
      if (device === undefined) {
        device = install(index);
        devices.set(index, device);
      } else {
        // Mean-reverting walk: 5% of the way back to baseline plus noise keeps readings plausible
        // over millions of steps instead of drifting without bound.
        device.temperatureC += 0.05 * (device.baselineC - device.temperatureC) + gaussian(random, 0, 0.2);
        device.humidityPct = Math.min(100, Math.max(0, device.humidityPct + gaussian(random, 0, 0.5)));
        device.batteryPct = Math.max(0, device.batteryPct - 0.01);
        device.readingSeq += 1;
      }
      const temperatureC = Math.round(device.temperatureC * 100) / 100;
      const status =
        temperatureC > alarmTemperatureC ? 'alarm' : temperatureC > alarmTemperatureC - 5 || device.batteryPct < 15 ? 'warning' : 'ok';
      return {
        deviceId: device.deviceId,
        ts: isoFromUs(intendedAtUs),
        readingSeq: device.readingSeq,
        model: device.model,
        firmware: device.firmware,
        location: { lat: device.latitude, lon: device.longitude },
        metrics: {
          temperatureC,
          humidityPct: Math.round(device.humidityPct * 10) / 10,
          pressureHpa: Math.round(gaussian(random, 1013, 4) * 10) / 10,
        },
        batteryPct: Math.round(device.batteryPct * 100) / 100,
        status,
      };
    },
  };
}

export const iot: BuiltInGenerator = { create: createIotGenerator, keyField: 'deviceId', defaultKeys: 1_000 };
