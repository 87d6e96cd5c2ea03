import { describe, expect, it } from 'vitest';
import { Lru } from '../../src-collector/util/lru';

describe('Lru', () => {
  it('never holds more than max entries and evicts what nobody read', () => {
    const lru = new Lru<string, number>(4);
    for (const k of ['a', 'b', 'c', 'd']) lru.set(k, k.charCodeAt(0));
    // 'a' is read often: it must survive a stream of new keys that evicts the unread ones
    for (let i = 0; i < 20; i++) {
      expect(lru.get('a')).toBe(97);
      lru.set(`n${i}`, i);
    }
    expect(lru.get('a')).toBe(97);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('c')).toBeUndefined();
    let held = 0;
    for (let i = 0; i < 20; i++) if (lru.get(`n${i}`) !== undefined) held++;
    expect(held + 1).toBeLessThanOrEqual(4);
  });

  it('forgets an entry after its time to live', async () => {
    const lru = new Lru<string, string>(10, 20);
    lru.set('k', 'v');
    expect(lru.get('k')).toBe('v');
    await new Promise((r) => setTimeout(r, 40));
    expect(lru.get('k')).toBeUndefined();
  });

  it('set replaces a value and delete/clear remove', () => {
    const lru = new Lru<string, number>(3);
    lru.set('x', 1);
    lru.set('x', 2);
    expect(lru.get('x')).toBe(2);
    lru.delete('x');
    expect(lru.get('x')).toBeUndefined();
    lru.set('y', 1);
    lru.clear();
    expect(lru.get('y')).toBeUndefined();
  });
});
