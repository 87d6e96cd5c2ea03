import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyMail } from '../../../src-main/core/mailbox/classify';

describe('classifyMail (issue 19)', () => {
  it('reads the status of a Postfix bounce, whose delivery-status part mailparser returns as text', async () => {
    // the shape Postfix writes for an unknown local user (test/fixtures/mailbox/postfix-bounce.eml)
    const c = await classifyMail(readFileSync(join(__dirname, '../../fixtures/mailbox/postfix-bounce.eml')));
    expect(c?.kind).toBe('bounced');
    expect(c?.references).toContain('<x@test.local>');
    expect(c?.failed).toEqual([
      { email: 'niemand@test.local', status: '5.1.1', diagnostic: 'unknown user: "niemand@test.local"' },
    ]);
  });
});
