/**
 * The browser host's desktop notifications: the browser's Notification API. Electron raises
 * native ones from the shell, so this is only used over the HTTP bridge. Permission is asked
 * once, from a click of the agent (browsers ignore or quieten a request without one).
 */
const ASKED_KEY = 'blitz.notificationsAsked';

export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported';

export function notifyPermission(): NotifyPermission {
  if (notifyPermissionUnsupported()) return 'unsupported';
  return window.Notification.permission;
}

let known: NotifyPermission | null = null;

/**
 * What NotifyPrompt needs, read while the first screen's data travels instead of in its first
 * render (issue 12, list open on a loaded machine): the permission from the Permissions API, which
 * answers asynchronously (`Notification.permission` is a synchronous call into the browser
 * process, 3–13 ms), and whether the agent was asked before (the page's first localStorage read
 * loads the storage from the browser process, ~10 ms).
 */
export function prefetchNotifyPermission(): void {
  if (typeof navigator === 'undefined' || !navigator.permissions || notifyPermissionUnsupported()) return;
  alreadyAsked();
  navigator.permissions.query({ name: 'notifications' }).then(
    (status) => {
      // a question answered meanwhile (askPermission) is newer than this
      known ??= status.state === 'prompt' ? 'default' : status.state;
    },
    () => undefined,
  );
}

function notifyPermissionUnsupported(): boolean {
  return typeof window === 'undefined' || !('Notification' in window);
}

/** the permission as prefetchNotifyPermission found it, else asked synchronously */
export function currentNotifyPermission(): NotifyPermission {
  return known ?? notifyPermission();
}

let askedBefore: boolean | null = null;

/** the agent has answered (or dismissed) the question once: do not offer it again */
export function alreadyAsked(): boolean {
  if (askedBefore !== null) return askedBefore;
  try {
    askedBefore = localStorage.getItem(ASKED_KEY) === '1';
  } catch {
    askedBefore = false;
  }
  return askedBefore;
}

export async function askPermission(): Promise<NotifyPermission> {
  if (notifyPermission() === 'unsupported') return 'unsupported';
  askedBefore = true;
  try {
    localStorage.setItem(ASKED_KEY, '1');
  } catch {
    // private mode without storage: asking again next time is the lesser evil
  }
  try {
    known = await window.Notification.requestPermission();
  } catch {
    known = notifyPermission();
  }
  return known;
}

/**
 * Shows one notification; a click brings this tab to the front and opens the activity.
 * `tag` = the activity: a second event of the same activity replaces the first instead of piling up.
 */
export function showBrowserNotification(
  n: { title: string; body: string; activityId: string },
  onClick: (activityId: string) => void,
): boolean {
  if (notifyPermission() !== 'granted') return false;
  try {
    const note = new window.Notification(n.title, {
      body: n.body,
      tag: n.activityId,
      lang: document.documentElement.lang || 'de',
    });
    note.onclick = () => {
      window.focus();
      onClick(n.activityId);
      note.close();
    };
    return true;
  } catch {
    // Chrome on Android throws for `new Notification` (service workers only): the toast remains
    return false;
  }
}
