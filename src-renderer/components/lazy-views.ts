import { lazy } from 'react';

/**
 * The views an agent opens after the activity list, each in a chunk of its own: the list opens
 * without parsing and evaluating the compose editor, the property forms, the offer dialog and
 * the settings (a third of the renderer's own code). `prefetchViews` loads them once the list is
 * on screen, so a click on one does not wait for the network.
 */
const compose = () => import('./Compose');
const properties = () => import('./Properties');
const settings = () => import('./Settings');
const offerPanel = () => import('./OfferPanel');

export const ComposeView = lazy(() => compose().then((m) => ({ default: m.ComposeView })));
export const PropertiesView = lazy(() => properties().then((m) => ({ default: m.PropertiesView })));
export const SettingsView = lazy(() => settings().then((m) => ({ default: m.SettingsView })));
export const OfferPanel = lazy(() => offerPanel().then((m) => ({ default: m.OfferPanel })));

export function prefetchViews(): void {
  for (const load of [compose, properties, settings, offerPanel]) void load();
}
