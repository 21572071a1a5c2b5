// A worker's side of the heavy statements joined across workers (src/db/shared-flights.ts), on a channel
// that delivers the primary's messages as the cluster's does: several in one turn. The whole round trip
// through a real primary is test/e2e/workers.test.ts.
import { EventEmitter } from 'node:events';
import { WorkerFlights, type FlightChannel } from '../../src/db/shared-flights';

class Channel extends EventEmitter implements FlightChannel {
  readonly connected = true;
  readonly sent: { type: string; id?: number; flight?: number; json?: string | null }[] = [];

  send(message: unknown): boolean {
    this.sent.push(message as Channel['sent'][number]);
    return true;
  }

  /** The primary's messages, delivered one after the other in the same turn. */
  deliver(...messages: object[]): void {
    for (const message of messages) this.emit('message', message);
  }
}

describe("a worker's flights", () => {
  it('gives a question the answer that arrives in the same turn as the reply telling it to wait', async () => {
    const channel = new Channel();
    const flights = new WorkerFlights(10_000, channel);
    const claimed = flights.claim('select 1');
    const [claim] = channel.sent;
    channel.deliver({ type: 'jipp:flight:claimed', id: claim.id, flight: 7, run: false }, { type: 'jipp:flight:result', flight: 7, json: '{"n":1}' });
    const flight = await claimed;
    expect(flight?.run).toBe(false);
    expect(flight && !flight.run ? await flight.answer : undefined).toBe('{"n":1}');
    flights.close();
  });

  it('gives the answer to every question of the process waiting on the flight', async () => {
    const channel = new Channel();
    const flights = new WorkerFlights(10_000, channel);
    const claims = [flights.claim('select 1'), flights.claim('select 1')];
    channel.deliver(
      ...channel.sent.map((claim) => ({ type: 'jipp:flight:claimed', id: claim.id, flight: 3, run: false })),
      { type: 'jipp:flight:result', flight: 3, json: '{"n":1}' },
    );
    const answers = await Promise.all(claims.map(async (claimed) => {
      const flight = await claimed;
      return flight && !flight.run ? flight.answer : undefined;
    }));
    expect(answers).toEqual(['{"n":1}', '{"n":1}']);
    flights.close();
  });

  it('sends the answer of a flight it runs only when the primary said someone waits for it', async () => {
    const channel = new Channel();
    const flights = new WorkerFlights(10_000, channel);
    const first = flights.claim('select 1');
    channel.deliver({ type: 'jipp:flight:claimed', id: channel.sent[0].id, flight: 1, run: true });
    const second = flights.claim('select 2');
    channel.deliver({ type: 'jipp:flight:claimed', id: channel.sent[1].id, flight: 2, run: true }, { type: 'jipp:flight:waited', flight: 2 });
    for (const [claimed, json] of [[first, '{"n":1}'], [second, '{"n":2}']] as const) {
      const flight = await claimed;
      if (flight?.run) flight.land(json);
    }
    expect(channel.sent.filter((m) => m.type === 'jipp:flight:landed')).toEqual([
      { type: 'jipp:flight:landed', flight: 1, json: null },
      { type: 'jipp:flight:landed', flight: 2, json: '{"n":2}' },
    ]);
    flights.close();
  });

  it('stops waiting after maxWaitMs, so the question runs the statement itself', async () => {
    const channel = new Channel();
    const flights = new WorkerFlights(50, channel);
    const claimed = flights.claim('select 1');
    channel.deliver({ type: 'jipp:flight:claimed', id: channel.sent[0].id, flight: 9, run: false });
    const flight = await claimed;
    expect(flight && !flight.run ? await flight.answer : undefined).toBeNull();
    flights.close();
  });
});
