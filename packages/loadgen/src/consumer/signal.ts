/**
 * A wake-up signal between the readers and lanes of the mapping: `wait()` resolves at the next
 * `notify()`. Invariant: a notify with no waiter is not remembered, so waiters re-check their
 * condition in a loop (the usual condition-variable discipline).
 */
export class Signal {
  private waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
