// alone in the first chunk: the first screen's requests leave before React, i18next and the
// views are fetched, compiled and evaluated, which happens meanwhile (issue 12: they used to
// leave only after the whole first chunk was compiled and its imports evaluated, 50–70 ms into
// a list open on a loaded machine)
import { bootRequests, bridge } from './boot';
// in the entry, so the page links the styles itself and the first paint has them
import './styles.css';
import './first-hour.css';

import('./start')
  .then(({ start }) => start(bridge, bootRequests))
  .catch((e: unknown) => {
    console.error('Blitz: the app could not be loaded', e);
    const root = document.getElementById('root');
    // i18n is part of what failed to load: both languages, plainly
    if (root) root.textContent = 'Blitz konnte nicht geladen werden. / Blitz could not be loaded.';
  });
