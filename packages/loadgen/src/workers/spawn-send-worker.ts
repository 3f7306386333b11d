/**
 * Starts a sending thread on the compiled entry (dist/workers/send-worker.js).
 *
 * Invariant: the thread runs the same code as this module. Built, that is the compiled sibling;
 * run from the TypeScript sources (the test suite, `tsx`, the benches), there is no compiled
 * sibling, so the thread registers tsx's loader first and imports the TypeScript entry.
 */
import { Worker } from 'node:worker_threads';
import type { SendWorkerData } from './protocol.js';

const FROM_SOURCE = import.meta.url.endsWith('.ts');

export function spawnSendWorker(data: SendWorkerData): Worker {
  return spawnThread(new URL(FROM_SOURCE ? './send-worker.ts' : './send-worker.js', import.meta.url), data);
}

/** A worker thread on `entry` (a .js module, or a .ts one loaded through tsx). */
function spawnThread(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}
