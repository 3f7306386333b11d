/**
 * Runs `loadgen run` in this process with the real collaborators (producer, local-kinesis,
 * consumer) and captures the result instead of writing files; optionally sends Ctrl-C after a
 * delay, as the loadgen's own interrupt handling would receive it.
 */
import { defaultRunDeps, runCommand, type RunArgs, type RunResult } from '@shardline/loadgen';

export async function runLoadgen(
  scenario: string,
  args: Omit<RunArgs, 'scenario' | 'quiet'>,
  interruptAfterMs?: number,
): Promise<{ code: number; result: RunResult; log: string[] }> {
  const log: string[] = [];
  const results: RunResult[] = [];
  let interrupt: (() => void) | undefined;
  const deps = defaultRunDeps();
  const running = runCommand(
    { scenario, quiet: true, ...args },
    {
      ...deps,
      report: async (result) => void results.push(result),
      io: { stdout: (l) => log.push(l), stderr: (l) => log.push(l), progress: () => {}, isTTY: false },
      onInterrupt: (listener) => {
        interrupt = listener;
        return () => {
          interrupt = undefined;
        };
      },
      exit: (c) => {
        throw new Error(`unexpected exit ${c}`);
      },
    },
  );
  if (interruptAfterMs !== undefined) {
    await new Promise((resolve) => setTimeout(resolve, interruptAfterMs));
    interrupt?.();
  }
  const code = await running;
  const [result] = results;
  if (result === undefined) throw new Error('Expected a result');
  return { code, result, log };
}

