import { describe, expect, it } from 'vitest';
import { MIN_FILES_PER_WORKER, shardCount } from '../src/shards.js';

describe('how many threads the C analysis uses', () => {
  it('follows an explicit job count', () => {
    expect(shardCount(10, 1, 8)).toBe(1);
    expect(shardCount(10, 3, 2)).toBe(3);
  });

  it('by default: one thread for a small tree, at most two and never more than the cores', () => {
    expect(shardCount(MIN_FILES_PER_WORKER - 1, undefined, 8)).toBe(1);
    expect(shardCount(2 * MIN_FILES_PER_WORKER, undefined, 8)).toBe(2);
    expect(shardCount(100 * MIN_FILES_PER_WORKER, undefined, 8)).toBe(2);
    expect(shardCount(100 * MIN_FILES_PER_WORKER, undefined, 1)).toBe(1);
  });
});
