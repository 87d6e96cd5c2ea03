import { msg } from '../../../src-shared/messages';
import { err, ok } from '../../../src-shared/result';
import { createDraftFiles } from '../drafts/files';
import type { CoreContext, DomainHandlers } from './context';

export function draftsHandlers(ctx: CoreContext): DomainHandlers<'drafts'> {
  const { cache } = ctx;
  const files = createDraftFiles(ctx.options.dataDir);
  return {
    'drafts.list': async () => ok(cache.drafts.list()),
    'drafts.get': async ({ id }) => {
      const d = cache.drafts.get(id);
      return d ? ok(d) : err({ code: 'draft_not_found', message: msg('draftNotFound') });
    },
    'drafts.save': async (input) => ok(cache.drafts.save(input)),
    'drafts.delete': async ({ id }) => {
      cache.drafts.delete(id);
      files.prune(cache.drafts.attachedFiles());
      return ok({ id });
    },
    'drafts.putFile': async ({ contentBase64 }) => {
      const bytes = Buffer.from(contentBase64, 'base64');
      return ok({ sha256: files.put(bytes), size: bytes.length });
    },
    'drafts.readFile': async ({ sha256 }) => {
      const bytes = files.read(sha256);
      return bytes
        ? ok({ contentBase64: bytes.toString('base64') })
        : err({ code: 'draft_file_missing', message: msg('draftFileMissing'), detail: sha256 });
    },
  };
}
