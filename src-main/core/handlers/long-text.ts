import { ok } from '../../../src-shared/result';
import { currentWiderruf, filledWiderruf } from '../legal/service';
import { blocks } from '../legal/template';
import type { CoreContext, DomainHandlers } from './context';

/** The preview beside a long-text editor, made by the renderer of the text itself (legal/template.ts). */
export function longTextHandlers({ cache }: CoreContext): DomainHandlers<'longText'> {
  return {
    'longText.preview': async ({ text, fill }) => {
      if (fill === 'none') return ok({ blocks: blocks(text), missing: [] });
      const current = currentWiderruf(cache);
      if (!current.ok) return current;
      const filled = filledWiderruf(cache, { ...current.value, text });
      return ok({ blocks: blocks(filled.text), missing: filled.missing });
    },
  };
}
