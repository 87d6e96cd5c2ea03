import { afterAll } from 'vitest';
import { removeBuiltRenderers } from '../support/e2e-stack';

/**
 * The vitest face of the e2e stack (test/support/e2e-stack.ts). The Playwright suites in e2e/ use
 * the same stack through fixtures; vitest-style files here are ported there by hand.
 */
export * from '../support/e2e-stack';

// registered in each test file importing the harness: its renderer build goes with it
afterAll(removeBuiltRenderers);
