// An async iterator fed by pushes: what a subscription's subscribe function returns. Bounded: a subscriber
// that falls this far behind ends with an error instead of holding the process's memory.
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';

export const MAX_QUEUED = 1_000;

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly queued: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private ended = false;
  private failure: GraphQLError | null = null;

  constructor(private readonly onEnd: () => void) {}

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    if (this.queued.length >= MAX_QUEUED) {
      this.failure = new GraphQLError(`This subscription fell ${MAX_QUEUED} messages behind and was ended; subscribe again.`, {
        extensions: { code: ErrorCode.RATE_LIMITED, reason: 'SUBSCRIBER_TOO_SLOW' },
      });
      this.queued.length = 0;
      return;
    }
    this.queued.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queued.length) return Promise.resolve({ value: this.queued.shift()!, done: false });
    if (this.failure) {
      const failure = this.failure;
      void this.return();
      return Promise.reject(failure);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.ended) {
      this.ended = true;
      this.onEnd();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
