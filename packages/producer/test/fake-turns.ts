/** A counted fake clock and a hand-run queue of turn ends, for the batch sharers' tests. */
export function fakeTurns() {
  let nowMs = 1_000;
  let clockReads = 0;
  const turnEnds: (() => void)[] = [];
  return {
    now: (): number => {
      clockReads++;
      return nowMs;
    },
    atTurnEnd: (task: () => void): void => {
      turnEnds.push(task);
    },
    advance: (ms: number) => (nowMs += ms),
    clockReads: () => clockReads,
    endTurn: () => turnEnds.splice(0).forEach((task) => task()),
    queuedTurnEnds: () => turnEnds.length,
  };
}
