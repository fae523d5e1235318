import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue.util.js';

describe('EventQueue', () => {
  it('hands out pushed items in order to waiting and later consumers, and ends on close', async () => {
    const q = new EventQueue<number>();
    const first = q.next();
    q.push(1);
    q.push(2);
    expect(await first).toEqual({ value: 1, done: false });
    q.close();
    q.push(3);
    const seen: number[] = [];
    for await (const n of q) seen.push(n);
    expect(seen).toEqual([2]);
  });
});
