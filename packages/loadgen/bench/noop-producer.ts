/**
 * A producer-shaped sink that acks every put at once: the benches' no-op sink. Like the real
 * producer it has the callback form, and calls back after the put returns: the puts of one turn of
 * the event loop are acked together on one microtask.
 */
import type { ProducerLike } from '../src/commands/send-loop.js';

const ACK = { shardId: 'shardId-000000000000', sequenceNumber: '1', attempts: [] };

type Callback = Parameters<NonNullable<ProducerLike['putWithCallback']>>[1];
let callbacks: Callback[] = [];
let tokens: number[] = [];

function ackAll(): void {
  const [cs, ts] = [callbacks, tokens];
  callbacks = [];
  tokens = [];
  for (let i = 0; i < cs.length; i++) (cs[i] as Callback)(undefined, ACK, ts[i] as number);
}

export const noopProducer: ProducerLike = {
  put: () => Promise.resolve(ACK),
  putWithCallback(_record, callback, token) {
    if (callbacks.length === 0) queueMicrotask(ackAll);
    callbacks.push(callback);
    tokens.push(token);
  },
  flush: async () => {},
  close: async () => {},
  metrics: () => ({}),
};
