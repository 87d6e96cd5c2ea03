import { legalDto, saveAgentProfile, saveWiderrufText } from '../legal/service';
import type { CoreContext, DomainHandlers } from './context';

/** The Widerrufsbelehrung every offer carries and the agent's profile that fills it. */
export function legalHandlers({ cache }: CoreContext): DomainHandlers<'legal'> {
  return {
    'legal.get': async () => legalDto(cache),
    'legal.saveText': async ({ text }) => saveWiderrufText(cache, text),
    'legal.saveProfile': async (profile) => saveAgentProfile(cache, profile),
  };
}
