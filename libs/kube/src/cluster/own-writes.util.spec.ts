import { describe, expect, it } from 'vitest';
import { OwnWrites } from './own-writes.util.js';

describe('OwnWrites', () => {
  it('remembers our intermediate resourceVersions and deletes for a while, then forgets', () => {
    let now = 0;
    const own = new OwnWrites(() => now, 1_000);
    own.markTransient('k', '5');
    own.markDeleted('d');
    expect([own.isTransient('k', '5'), own.isTransient('k', '6'), own.isTransient('k', undefined)]).toEqual([
      true,
      false,
      false,
    ]);
    expect(own.wasDeletedByUs('d')).toBe(true);
    now = 1_001;
    expect(own.isTransient('k', '5')).toBe(false);
    expect(own.wasDeletedByUs('d')).toBe(false);
  });

  it('forgets a delete when the object is applied again', () => {
    const own = new OwnWrites();
    own.markDeleted('d');
    own.forgetDeleted('d');
    expect(own.wasDeletedByUs('d')).toBe(false);
  });
});
