import { msg } from '../src-shared/messages';
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { BlitzApi, CoreEvent, IpcOperation } from '../src-shared/ipc';
import { err } from '../src-shared/result';

/**
 * Exposes exactly window.blitz. No ipcRenderer, no event objects (they carry `sender`), no other
 * channel reaches the page. Argument validation is the core's job; here only op names are checked
 * so the page cannot probe arbitrary channels.
 */
// Spelled out instead of Object.keys(ipcOperations): that would pull zod into the sandboxed
// preload bundle. The type check below fails when an operation is added to the contract and not here.
const OPERATIONS = [
  'status.get',
  'settings.get',
  'settings.saveMailAccount',
  'settings.testMailAccount',
  'settings.saveCollector',
  'settings.setTrackingEnabled',
  'settings.setSharesNetwork',
  'settings.setNotificationPrefs',
  'settings.setLanguage',
  'settings.startLocalTestMode',
  'settings.setMailboxSignals',
  'trackingDomain.set',
  'trackingDomain.remove',
  'trackingDomain.refresh',
  'trackingDomain.verify',
  'consent.setSettings',
  'consent.contacts',
  'consent.setMode',
  'activities.list',
  'activities.page',
  'activities.count',
  'activities.get',
  'feed.get',
  'feed.markSeen',
  'feed.correctVerdict',
  'contacts.suggest',
  'contacts.prospectLanguage',
  'compose.send',
  'outbox.resolve',
  'properties.list',
  'properties.get',
  'properties.save',
  'properties.delete',
  'properties.addFile',
  'properties.removeFile',
  'properties.readFile',
  'properties.importOpenImmo',
  'legal.get',
  'legal.saveText',
  'legal.saveProfile',
  'landing.contacts',
  'landing.updateContact',
  'landing.property',
  'landing.setProperty',
  'landing.setRejected',
  'landing.setLockStatuses',
  'landing.documents',
  'landing.saveDocument',
  'offers.preview',
  'offers.send',
  'offers.get',
  'offers.status',
  'offers.evidence',
  'drafts.list',
  'drafts.get',
  'drafts.save',
  'drafts.delete',
  'drafts.putFile',
  'drafts.readFile',
  'longText.preview',
  'evidence.export',
  'privacy.overview',
  'privacy.setHold',
  'privacy.liftHold',
  'privacy.export',
  'privacy.erase',
] as const satisfies readonly IpcOperation[];
type Missing = Exclude<IpcOperation, (typeof OPERATIONS)[number]>;
const _complete: [Missing] extends [never] ? true : Missing = true;
const known = new Set<string>(OPERATIONS);

const api = {
  invoke(op, args) {
    if (typeof op !== 'string' || !known.has(op)) {
      return Promise.resolve(err({ code: 'unknown_operation', message: msg('unknownOperation') }));
    }
    return ipcRenderer.invoke('blitz:invoke', op, args);
  },
  subscribe(listener) {
    const handler = (_event: IpcRendererEvent, payload: CoreEvent) => listener(payload);
    ipcRenderer.on('blitz:event', handler);
    return () => {
      ipcRenderer.removeListener('blitz:event', handler);
    };
  },
} satisfies BlitzApi;

contextBridge.exposeInMainWorld('blitz', api);
