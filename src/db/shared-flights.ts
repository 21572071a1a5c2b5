// Heavy read statements joined across the workers of a cluster (WORKERS > 1): the primary keeps which
// statements a worker is running, and a worker about to run one already running elsewhere waits for that
// answer instead. Within a process the read engine joins by itself (src/graphql/sql/engine.ts); this is the
// same rule between processes, for heavy statements only (analytics, searches): the round trip to the
// primary costs every statement that asks, which cheap reads would not earn back.
//
// Read-your-writes holds as it does in one process. A worker tells the primary of every commit it hears,
// before any question it asks after it (one channel, in order), and the primary then lets no later question
// join a statement that began before: a caller that wrote, or heard of a write, never gets an answer read
// from before it.
//
// Nothing waits on a runner that cannot answer: a statement that fails (or is refused a heavy slot) and a
// worker that exits release their waiters, who then run the statement themselves. An answer crosses to the
// primary only when someone waits for it (the primary tells the runner when the first one does).
import type { Worker } from 'node:cluster';
import { createHash } from 'node:crypto';

const CLAIM = 'jipp:flight:claim';
const CLAIMED = 'jipp:flight:claimed';
const LANDED = 'jipp:flight:landed';
const RESULT = 'jipp:flight:result';
const WAITED = 'jipp:flight:waited';
const FORGET = 'jipp:flight:forget';

type WorkerMessage = { type: typeof CLAIM; id: number; key: string } | { type: typeof LANDED; flight: number; json: string | null } | { type: typeof FORGET };
type PrimaryMessage =
  | { type: typeof CLAIMED; id: number; flight: number; run: boolean }
  | { type: typeof WAITED; flight: number }
  | { type: typeof RESULT; flight: number; json: string | null };

/** A statement claimed: this process runs it and lands the answer, or waits for another's. */
export type Flight = { run: true; land: (json: string | null) => void } | { run: false; answer: Promise<string | null> };

/** What the read engine asks of the processes it shares statements with. */
export interface StatementFlights {
  /** Claims the statement `key` (its text, as the engine keys it); null when no other process can be asked. */
  claim(key: string): Promise<Flight | null>;
  /** A commit was heard: no question asked from now on joins a statement that began before. */
  forget(): void;
  close(): void;
}

function isMessage<T extends { type: string }>(message: unknown, types: readonly string[]): message is T {
  return typeof message === 'object' && message !== null && types.includes((message as { type?: unknown }).type as string);
}

/** What a worker talks to the primary over: the process's IPC channel (process, in a cluster worker). */
export interface FlightChannel {
  readonly connected: boolean;
  send?(message: unknown): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A worker's side: asks the primary over the cluster's channel. */
export class WorkerFlights implements StatementFlights {
  private nextId = 0;
  private readonly claims = new Map<number, (flight: Flight | null) => void>();
  /** Questions of this process waiting for a flight's answer, by flight. */
  private readonly waits = new Map<number, ((json: string | null) => void)[]>();
  /** Flights this process runs that another question waits for. */
  private readonly waited = new Set<number>();
  private readonly onMessage = (message: unknown) => {
    if (!isMessage<PrimaryMessage>(message, [CLAIMED, WAITED, RESULT])) return;
    if (message.type === CLAIMED) {
      const reply = this.claims.get(message.id);
      this.claims.delete(message.id);
      reply?.(message.run ? this.running(message.flight) : this.waiting(message.flight));
    } else if (message.type === WAITED) {
      this.waited.add(message.flight);
    } else {
      const waiting = this.waits.get(message.flight) ?? [];
      this.waits.delete(message.flight);
      for (const wait of waiting) wait(message.json);
    }
  };

  /**
   * `maxWaitMs`: the longest a question waits for another worker's answer before running the statement
   * itself (a statement cannot run longer than its timeout, so only a lost message could make it wait).
   */
  constructor(
    private readonly maxWaitMs: number,
    private readonly channel: FlightChannel = process,
  ) {
    channel.on('message', this.onMessage);
  }

  async claim(key: string): Promise<Flight | null> {
    const id = (this.nextId += 1);
    const replied = new Promise<Flight | null>((resolve) => this.claims.set(id, resolve));
    // Keys are statements of up to tens of kilobytes: the primary keeps their digests.
    if (!this.send({ type: CLAIM, id, key: createHash('sha256').update(key).digest('base64') })) {
      this.claims.delete(id);
      return null;
    }
    return replied;
  }

  private running(flight: number): Flight {
    return {
      run: true,
      land: (json) => {
        // Unwaited, the answer stays here; null tells a waiter whose WAITED crossed the landing to run it.
        const wanted = this.waited.delete(flight);
        this.send({ type: LANDED, flight, json: wanted ? json : null });
      },
    };
  }

  /**
   * Registered as the reply is read, not when the claimer resumes: the channel can deliver the result in
   * the same turn as the reply, before any promise continuation runs.
   */
  private waiting(flight: number): Flight {
    const answer = new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => settle(null), this.maxWaitMs);
      const settle = (json: string | null) => {
        clearTimeout(timer);
        const left = (this.waits.get(flight) ?? []).filter((wait) => wait !== settle);
        if (left.length) this.waits.set(flight, left);
        else this.waits.delete(flight);
        resolve(json);
      };
      this.waits.set(flight, [...(this.waits.get(flight) ?? []), settle]);
    });
    return { run: false, answer };
  }

  forget(): void {
    this.send({ type: FORGET });
  }

  /** Stops listening; whoever still waits runs the statement itself. */
  close(): void {
    this.channel.off('message', this.onMessage);
    for (const reply of this.claims.values()) reply(null);
    for (const waiting of this.waits.values()) for (const wait of waiting) wait(null);
    this.claims.clear();
    this.waits.clear();
    this.waited.clear();
  }

  /** False when the channel to the primary is gone (the worker is stopping): the statement runs here. */
  private send(message: WorkerMessage): boolean {
    if (!this.channel.connected || !this.channel.send) return false;
    try {
      this.channel.send(message);
      return true;
    } catch {
      return false;
    }
  }
}

interface Running {
  id: number;
  key: string;
  runner: Worker;
  waiters: Worker[];
}

/** The primary's side: which worker runs what, and who waits for it. */
export class FlightCoordinator {
  private nextFlight = 0;
  /** Statements begun since the last commit a worker heard, by key: the ones a question may join. */
  private readonly joinable = new Map<string, Running>();
  private readonly flights = new Map<number, Running>();
  private joinedCount = 0;

  /** Takes a worker's message about flights; false for any other message. */
  handle(worker: Worker, message: unknown): boolean {
    if (!isMessage<WorkerMessage>(message, [CLAIM, LANDED, FORGET])) return false;
    if (message.type === CLAIM) this.claim(worker, message.id, message.key);
    else if (message.type === LANDED) this.land(message.flight, message.json);
    else this.joinable.clear();
    return true;
  }

  /** A worker exited: its statements will not land, so whoever waits on them runs them. */
  exited(worker: Worker): void {
    for (const flight of [...this.flights.values()]) {
      if (flight.runner === worker) this.land(flight.id, null);
      else flight.waiters = flight.waiters.filter((w) => w !== worker);
    }
  }

  /** Questions waiting now for a statement a worker runs (for /metrics). */
  get waiting(): number {
    let n = 0;
    for (const flight of this.flights.values()) n += flight.waiters.length;
    return n;
  }

  /** Questions answered by a statement already running when they were asked (for /metrics). */
  get joined(): number {
    return this.joinedCount;
  }

  private claim(worker: Worker, id: number, key: string): void {
    const running = this.joinable.get(key);
    if (running) {
      // The runner's own worker too: its second question was on its way here before the first began.
      running.waiters.push(worker);
      if (running.waiters.length === 1) send(running.runner, { type: WAITED, flight: running.id });
      send(worker, { type: CLAIMED, id, flight: running.id, run: false });
      return;
    }
    const flight: Running = { id: (this.nextFlight += 1), key, runner: worker, waiters: [] };
    this.flights.set(flight.id, flight);
    this.joinable.set(key, flight);
    send(worker, { type: CLAIMED, id, flight: flight.id, run: true });
  }

  private land(id: number, json: string | null): void {
    const flight = this.flights.get(id);
    if (!flight) return;
    this.flights.delete(id);
    if (this.joinable.get(flight.key) === flight) this.joinable.delete(flight.key);
    if (json !== null) this.joinedCount += flight.waiters.length;
    for (const waiter of flight.waiters) send(waiter, { type: RESULT, flight: id, json });
  }
}

function send(worker: Worker, message: PrimaryMessage): void {
  if (worker.isConnected()) worker.send(message);
}
