import { type Clock } from '../ports';

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('The operation was aborted');
}

/** The real clock (Date.now + setTimeout), for the CLI and the app. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export interface ManualClockOptions {
  /** Start time (ms since epoch or ISO string). Default 2025-01-01T00:00:00Z. */
  start?: number | string;
  /**
   * Fire the earliest pending timer by itself once nothing else is runnable (checked on a
   * macrotask), so code that sleeps finishes without the test advancing time by hand.
   */
  autoAdvance?: boolean;
}

/**
 * A fake clock: time moves only when told (`advance`, `runAll`) or, with `autoAdvance`, when
 * every piece of work is waiting on a timer. Timers fire in time order, then in creation order.
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private seq = 0;
  private scheduled = false;
  private readonly auto: boolean;

  constructor(options: ManualClockOptions = {}) {
    const start = options.start ?? '2025-01-01T00:00:00Z';
    this.current = typeof start === 'number' ? start : Date.parse(start);
    this.auto = options.autoAdvance ?? false;
  }

  now(): number {
    return this.current;
  }

  /** Set the time without firing anything (only forwards). */
  set(time: number | string): void {
    const next = typeof time === 'number' ? time : Date.parse(time);
    if (next < this.current) throw new Error('ManualClock cannot go back in time');
    this.current = next;
  }

  get pendingTimers(): number {
    return this.timers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, resolve };
      this.timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.timers = this.timers.filter((t) => t !== timer);
          reject(abortReason(signal));
        },
        { once: true },
      );
      this.schedule();
    });
  }

  /** Move time forward by `ms`, firing every timer due on the way (with microtasks in between). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.fire(next);
    }
    this.current = Math.max(this.current, target);
    await flushMicrotasks();
  }

  /** Fire timers until none is left (bounded). */
  async runAll(limit = 10_000): Promise<void> {
    for (let i = 0; i < limit; i += 1) {
      await flushMicrotasks();
      const next = this.earliest();
      if (!next) return;
      this.fire(next);
    }
    throw new Error('ManualClock.runAll: too many timers');
  }

  private earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    return best;
  }

  private fire(timer: Timer): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.current = Math.max(this.current, timer.at);
    timer.resolve();
  }

  private schedule(): void {
    if (!this.auto || this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      const next = this.earliest();
      if (next) this.fire(next);
      if (this.timers.length > 0) this.schedule();
    }, 0);
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}
