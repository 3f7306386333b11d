/**
 * The benches' no-op sink, in plain JavaScript so a worker thread can load it without a
 * TypeScript loader: a producer-shaped object that acks every record. Like the real producer it
 * has the callback form and calls back after the put returns: the puts of one turn of the event
 * loop are acked together on one microtask. One sink per thread (module state is per thread).
 */
const ACK = { shardId: 'shardId-000000000000', sequenceNumber: '1', attempts: [] };

let callbacks = [];
let tokens = [];

function ackAll() {
  const cs = callbacks;
  const ts = tokens;
  callbacks = [];
  tokens = [];
  for (let i = 0; i < cs.length; i++) cs[i](undefined, ACK, ts[i]);
}

export const noopSink = {
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
