/**
 * Entry of a sending thread of `loadgen run --workers N`: the thread body (send-thread.ts) with
 * the shardline producer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createProducer } from '@shardline/producer';
import type { ProducerLike } from '../commands/send-loop.js';
import type { SendWorkerData } from './protocol.js';
import { runSendThreadReporting } from './send-thread.js';

if (parentPort === null) throw new Error('Expected to run as a worker thread');
await runSendThreadReporting(parentPort, workerData as SendWorkerData, (options) => createProducer(options) as ProducerLike);
