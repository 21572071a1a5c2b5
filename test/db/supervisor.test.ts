// The supervisor's decisions over time, with stand-in postmasters (test/e2e/supervision.test.ts kills real
// ones): restart after an exit with a pause that doubles while restarts fail, and never once shutdown began.
import type { Postmaster, PostmasterExit } from '../../src/db/postmaster';
import { waitFor } from '../../src/db/postmaster';
import { PostgresSupervisor, restartDelay, type SupervisorEvents } from '../../src/db/supervisor';

const BACKOFF = { firstMs: 20, maxMs: 80, stableMs: 60_000 };

interface StandIn extends Postmaster {
  crash: () => void;
  stopped: boolean;
}

let nextPid = 100;
function standIn(): StandIn {
  let exit!: (value: PostmasterExit) => void;
  let done = false;
  const exited = new Promise<PostmasterExit>((resolve) => (exit = resolve));
  const postmaster: StandIn = {
    pid: (nextPid += 1),
    exited,
    hasExited: () => done,
    stopped: false,
    crash: () => {
      done = true;
      exit({ code: null, signal: 'SIGKILL' });
    },
    stop: async () => {
      postmaster.stopped = true;
      done = true;
      exit({ code: 0, signal: null });
    },
  };
  return postmaster;
}

function recorder() {
  const seen: { event: keyof SupervisorEvents; info: Record<string, unknown> }[] = [];
  const events: SupervisorEvents = {
    exited: (info) => void seen.push({ event: 'exited', info }),
    restarted: (info) => void seen.push({ event: 'restarted', info }),
    restartFailed: (info) => void seen.push({ event: 'restartFailed', info }),
  };
  return { seen, events };
}

describe('restartDelay', () => {
  it('starts at half a second and doubles up to the cap', () => {
    const backoff = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 };
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((failures) => restartDelay(failures, backoff))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe('PostgresSupervisor', () => {
  it('restarts a postmaster that exited on its own, and says so', async () => {
    const spawned: StandIn[] = [];
    const { seen, events } = recorder();
    const supervisor = new PostgresSupervisor(async () => spawned[spawned.push(standIn()) - 1], events, BACKOFF);
    await supervisor.start();

    spawned[0].crash();

    expect(await waitFor(() => seen.length === 2, 5_000)).toBe(true);
    expect(seen).toEqual([
      { event: 'exited', info: { postgresPid: spawned[0].pid, exit: 'signal SIGKILL', restartInMs: 20 } },
      { event: 'restarted', info: { postgresPid: spawned[1].pid, attempt: 1, downMs: expect.any(Number) } },
    ]);
    expect(supervisor.pid).toBe(spawned[1].pid);
    await supervisor.stop();
    expect(spawned[1].stopped).toBe(true);
  });

  it('doubles the pause while restarts fail, up to the cap, and keeps trying', async () => {
    let calls = 0;
    const { seen, events } = recorder();
    const first = standIn();
    const supervisor = new PostgresSupervisor(
      async () => {
        calls += 1;
        if (calls === 1) return first;
        if (calls <= 4) throw new Error(`shared memory still in use (${calls})`);
        return standIn();
      },
      events,
      BACKOFF,
    );
    await supervisor.start();

    first.crash();

    expect(await waitFor(() => seen.some((s) => s.event === 'restarted'), 5_000)).toBe(true);
    expect(seen.map((s) => [s.event, s.info.restartInMs ?? s.info.retryInMs ?? s.info.attempt])).toEqual([
      ['exited', 20],
      ['restartFailed', 40],
      ['restartFailed', 80],
      ['restartFailed', 80],
      ['restarted', 4],
    ]);
    await supervisor.stop();
  });

  it('waits longer after a restarted postmaster fails at once, and the first pause again after one that held', async () => {
    const spawned: StandIn[] = [];
    const { seen, events } = recorder();
    const supervisor = new PostgresSupervisor(async () => spawned[spawned.push(standIn()) - 1], events, { ...BACKOFF, stableMs: 300 });
    await supervisor.start();
    const restarts = (n: number) => waitFor(() => seen.filter((s) => s.event === 'restarted').length === n, 5_000);

    spawned[0].crash();
    expect(await restarts(1)).toBe(true);
    spawned[1].crash();
    expect(await restarts(2)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 350));
    spawned[2].crash();
    expect(await restarts(3)).toBe(true);

    expect(seen.filter((s) => s.event === 'exited').map((s) => s.info.restartInMs)).toEqual([20, 40, 20]);
    await supervisor.stop();
  });

  it('does not restart PostgreSQL once shutdown began', async () => {
    let calls = 0;
    const first = standIn();
    const { seen, events } = recorder();
    const supervisor = new PostgresSupervisor(async () => ((calls += 1), first), events, BACKOFF);
    await supervisor.start();

    supervisor.beginShutdown();
    first.crash();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect([calls, seen]).toEqual([1, []]);
    await supervisor.stop();
  });

  it('cancels a restart that is waiting for its pause when stopped', async () => {
    let calls = 0;
    const first = standIn();
    const supervisor = new PostgresSupervisor(async () => ((calls += 1), calls === 1 ? first : standIn()), {}, { ...BACKOFF, firstMs: 50 });
    await supervisor.start();

    first.crash();
    await supervisor.stop();
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(calls).toBe(1);
  });

  it('stops a postmaster that came up while the supervisor was stopping', async () => {
    const first = standIn();
    const late = standIn();
    let arrive!: () => void;
    let calls = 0;
    const { seen, events } = recorder();
    const supervisor = new PostgresSupervisor(
      async () => {
        calls += 1;
        if (calls === 1) return first;
        await new Promise<void>((resolve) => (arrive = resolve));
        return late;
      },
      events,
      BACKOFF,
    );
    await supervisor.start();
    first.crash();
    expect(await waitFor(() => calls === 2, 5_000)).toBe(true);

    const stopped = supervisor.stop();
    arrive();
    await stopped;

    expect(late.stopped).toBe(true);
    expect(seen.map((s) => s.event)).toEqual(['exited']);
    expect(supervisor.pid).toBeUndefined();
  });
});
