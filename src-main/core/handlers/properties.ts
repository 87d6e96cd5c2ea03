import { ok } from '../../../src-shared/result';
import type { CoreContext, DomainHandlers } from './context';

/** Objekte: thin over the property service, which validates files and owns their storage. */
export function propertiesHandlers({ properties }: CoreContext): DomainHandlers<'properties'> {
  return {
    'properties.list': async () => ok(properties.list()),
    'properties.get': async ({ id }) => properties.get(id),
    'properties.save': async (input) => properties.save(input),
    'properties.delete': async ({ id }) => properties.delete(id),
    'properties.addFile': async (input) => properties.addFile(input),
    'properties.removeFile': async ({ propertyId, fileId }) => properties.removeFile(propertyId, fileId),
    'properties.readFile': async ({ propertyId, fileId }) => {
      const r = properties.readFile(propertyId, fileId);
      return r.ok ? ok({ contentType: r.value.contentType, contentBase64: r.value.contentBase64 }) : r;
    },
    'properties.importOpenImmo': async (input) => properties.importOpenImmo(input),
  };
}
