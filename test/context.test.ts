// The per-request loaders: values known already are handed back at once, the rest are batched, and
// nothing survives the request's release.
import { createContext, defineLoader } from '../src/context';
import { openTestApi, type TestApi } from './support/harness';

describe('RequestLoader', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi();
  });
  afterAll(() => api.close());

  const batches: (readonly string[])[] = [];
  const upper = defineLoader<string, string>('test.upper', async (_ctx, keys) => {
    batches.push(keys);
    return keys.map((key) => (key === 'bad' ? (new Error('no such key') as unknown as string) : key.toUpperCase()));
  });

  it('answers a primed or already loaded key at once, and batches the others', async () => {
    batches.length = 0;
    const ctx = createContext(api.orm);
    const loader = upper(ctx);
    loader.prime('a', 'primed');
    expect(loader.loadNow('a')).toBe('primed');

    const pending = [loader.loadNow('b'), loader.loadNow('c')];
    expect(pending.every((value) => value instanceof Promise)).toBe(true);
    expect(await Promise.all(pending)).toEqual(['B', 'C']);
    expect(batches).toEqual([['b', 'c']]);
    expect(loader.loadNow('b')).toBe('B');

    // A primed promise or error is not a known value: those are loaded (and awaited) as before.
    loader.prime('p', Promise.resolve('later') as unknown as string);
    expect(await loader.loadNow('p')).toBe('later');
    loader.prime('e', new Error('failed'));
    await expect(loader.loadNow('e')).rejects.toThrow('failed');

    // A key its batch answered with an Error is never known: each loadNow is the rejected load.
    await expect(loader.loadNow('bad')).rejects.toThrow('no such key');
    await expect(loader.loadNow('bad')).rejects.toThrow('no such key');

    ctx.release();
    const after = upper(ctx).loadNow('b');
    expect(after).toBeInstanceOf(Promise);
    expect(await after).toBe('B');
    expect(batches).toEqual([['b', 'c'], ['bad'], ['b']]);
  });
});
