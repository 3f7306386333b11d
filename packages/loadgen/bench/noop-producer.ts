/** The benches' no-op sink (noop-sink.mjs), typed as the producer a run uses. */
import type { ProducerLike } from '../src/commands/send-loop.js';
// @ts-expect-error -- plain JavaScript shared with worker threads, typed here.
import { noopSink } from './noop-sink.mjs';

export const noopProducer: ProducerLike = noopSink as ProducerLike;
