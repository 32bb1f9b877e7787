import { describe, expect, it } from 'vitest';
import { Mutex } from './mutex.js';

describe('Mutex', () => {
  it('runs holders one at a time, in arrival order', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const task = (name: string, steps: number) =>
      mutex.run(async () => {
        log.push(`${name}:start`);
        for (let i = 0; i < steps; i++) await Promise.resolve();
        log.push(`${name}:end`);
        return name;
      });
    const results = await Promise.all([task('a', 5), task('b', 1), task('c', 3)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('releases the lock when the holder throws', async () => {
    const mutex = new Mutex();
    await expect(
      mutex.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(mutex.locked).toBe(false);
    await expect(mutex.run(() => 42)).resolves.toBe(42);
  });
});
