/**
 * Starts a sending thread on the compiled entry (dist/workers/send-worker.js).
 *
 * Invariant: the thread runs the same code as this module. Built, that is the compiled sibling;
 * run from the TypeScript sources (the test suite, `tsx`), there is no compiled sibling, so the
 * thread registers tsx's loader first and imports the TypeScript entry.
 */
import { Worker } from 'node:worker_threads';
import type { SendWorkerData } from './protocol.js';

export function spawnSendWorker(data: SendWorkerData): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './send-worker.ts' : './send-worker.js', import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data });
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(code, { eval: true, workerData: data });
}
