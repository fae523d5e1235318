import { describe, expect, it } from 'vitest';
import { HeliomeshError } from '@heliomesh/util';
import { EventQueue } from './event-queue.util.js';

describe('EventQueue', () => {
  it('hands out pushed values in order, to waiting and later readers alike', async () => {
    const q = new EventQueue<number>();
    const waiting = q.next();
    q.push(1);
    q.push(2);
    q.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await q.next()).toEqual({ value: 2, done: false });
    expect(await q.next()).toEqual({ value: 3, done: false });
  });

  it('releases its source once when the client stops, and ends every reader', async () => {
    let closed = 0;
    const q = new EventQueue<number>(() => closed++);
    const waiting = q.next();
    await q.return();
    await q.return();
    q.push(1);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await q.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it('delivers what was buffered, then the failure with its code', async () => {
    const q = new EventQueue<number>();
    q.push(1);
    q.fail(new HeliomeshError({ code: 'NOT_FOUND', status: 404, message: 'gone' }));
    expect(await q.next()).toEqual({ value: 1, done: false });
    await expect(q.next()).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND', status: 404 } });
    expect(await q.next()).toEqual({ value: undefined, done: true });
  });

  it('hides an unexpected failure behind INTERNAL', async () => {
    const q = new EventQueue<number>();
    q.fail(new TypeError('secret detail'));
    const err = await q.next().catch((e: unknown) => e);
    expect(err).toMatchObject({ extensions: { code: 'INTERNAL' } });
    expect(String(err)).not.toContain('secret');
  });

  it('cuts off a subscriber that falls too far behind instead of buffering without bound', async () => {
    let closed = false;
    const q = new EventQueue<number>(() => (closed = true), 3);
    for (let i = 0; i < 10; i++) q.push(i);
    expect(closed).toBe(true);
    for (let i = 0; i < 4; i++) expect((await q.next()).value).toBe(i);
    await expect(q.next()).rejects.toMatchObject({ extensions: { code: 'SUBSCRIBER_TOO_SLOW' } });
  });
});
