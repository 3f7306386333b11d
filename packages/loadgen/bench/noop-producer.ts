/** A producer-shaped sink that acks every put at once: the benches' no-op sink. */
import type { ProducerLike } from '../src/commands/send-loop.js';

const ACK = { shardId: 'shardId-000000000000', sequenceNumber: '1', attempts: [] };

export const noopProducer: ProducerLike = {
  put: () => Promise.resolve(ACK),
  flush: async () => {},
  close: async () => {},
  metrics: () => ({}),
};
