import { describe, expect, it } from 'vitest';
import { EventsResponse, ReceivedEventsResponse } from '../../src-shared/api';

const page = {
  events: [
    {
      id: 'e1',
      seq: 3,
      type: 'email.opened',
      messageId: 'm1',
      recipientEmail: null,
      occurredAt: '2026-11-29T10:00:00.000Z',
      detail: {},
      client: { verdict: 'human', reasons: ['ua.mail_client'] },
    },
  ],
  messages: [],
  next: 3,
};

describe('ReceivedEventsResponse (what the desktop accepts from a collector)', () => {
  it('drops fields a newer collector may add, where the strict contract refuses them', () => {
    const newer = {
      ...page,
      events: [
        {
          ...page.events[0],
          mood: 'happy',
          detail: { future: 1 },
          client: { ...page.events[0]!.client, x: 2 },
        },
      ],
    };
    expect(EventsResponse.safeParse(newer).success).toBe(false);
    const read = ReceivedEventsResponse.parse(newer);
    expect(read.events[0]).toEqual(page.events[0]);
    expect(Object.keys(read.events[0]!)).not.toContain('mood');
  });

  it('checks every known field as strictly as the contract', () => {
    for (const bad of [
      { seq: 0 },
      { type: 'email.exploded' },
      { client: { verdict: 'robot', reasons: [] } },
      { detail: { linkIndex: -1 } },
      { recipientEmail: undefined },
    ]) {
      const e = { ...page.events[0], ...bad };
      expect(ReceivedEventsResponse.safeParse({ ...page, events: [e] }).success, JSON.stringify(bad)).toBe(
        false,
      );
      expect(EventsResponse.safeParse({ ...page, events: [e] }).success).toBe(false);
    }
    expect(ReceivedEventsResponse.parse(page)).toEqual(EventsResponse.parse(page));
  });
});
