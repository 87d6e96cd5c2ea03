import { lazy } from 'react';

/**
 * The views an agent opens after the activity list, each in a chunk of its own: the list opens
 * without parsing and evaluating the compose editor, the property forms, the offer dialog and
 * the settings (a third of the renderer's own code). `prefetchViewsWhenQuiet` loads them once the
 * list is on screen and the agent pauses, `prefetchView` when the pointer reaches a view's button,
 * so a click on one does not wait for the network.
 */
const compose = () => import('./Compose');
const properties = () => import('./Properties');
const settings = () => import('./Settings');
const offerPanel = () => import('./OfferPanel');

export const ComposeView = lazy(() => compose().then((m) => ({ default: m.ComposeView })));
export const PropertiesView = lazy(() => properties().then((m) => ({ default: m.PropertiesView })));
export const SettingsView = lazy(() => settings().then((m) => ({ default: m.SettingsView })));
export const OfferPanel = lazy(() => offerPanel().then((m) => ({ default: m.OfferPanel })));

const LOADS = { compose, properties, settings, offerPanel } as const;

/** one view's chunk at once: the agent's pointer is on its way to it (the sidebar's button) */
export function prefetchView(view: string): void {
  if (view in LOADS) void LOADS[view as keyof typeof LOADS]();
}

/**
 * The views' chunks in the background, one per idle moment, each only after a second without a
 * key or click: evaluating a chunk is one task of 10–100 ms, and loaded all at once right after
 * the list opened it landed on the first keystroke of a search typed at once (issue 12: the first
 * key after each reload was the slowest of its round in `npm run bench -- --only ui`).
 * Returns the cancel.
 */
export function prefetchViewsWhenQuiet(quietMs = 1_000): () => void {
  const left = Object.values(LOADS);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let idle: number | undefined;
  const stop = (): void => {
    clearTimeout(timer);
    if (idle !== undefined) cancelIdleCallback(idle);
    idle = undefined;
  };
  const next = (): void => {
    stop();
    if (left.length === 0) return;
    timer = setTimeout(() => {
      idle = requestIdleCallback(
        () => {
          idle = undefined;
          void left.shift()?.().finally(next);
        },
        { timeout: 3_000 },
      );
    }, quietMs);
  };
  const input = (): void => {
    // a key or click: the quiet second starts again (a chunk already on its way finishes)
    if (idle !== undefined || timer !== undefined) next();
  };
  const opts = { capture: true, passive: true } as const;
  addEventListener('keydown', input, opts);
  addEventListener('pointerdown', input, opts);
  next();
  return () => {
    left.length = 0;
    stop();
    removeEventListener('keydown', input, opts);
    removeEventListener('pointerdown', input, opts);
  };
}
