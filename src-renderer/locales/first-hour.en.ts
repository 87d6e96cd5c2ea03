import type { firstHourDe } from './first-hour.de';

export const firstHourEn: typeof firstHourDe = {
  welcome: {
    localText:
      'Starts a tracking server on this computer – ideal for trying Blitz with your own mail account. Pixel and links point to this computer: open the e-mail in your webmail here on this computer and you will see the recipient in the Blitz.',
    tryTitle: 'How to try it',
    try1: 'Start the test mode and enter your mail account in the settings.',
    try2: 'Under “New e-mail”, send a tracked e-mail to yourself.',
    try3: 'Open the e-mail in your webmail on this computer (show images) and click a link.',
    try4: 'The Blitz lights up: “… opened the e-mail” with the recipient’s name, plus a notification.',
    selfNote:
      'Your own views do not count: the copy in your “Sent” folder has no pixel, and an event you caused yourself can be marked with “That was me”.',
    errors: {
      collector_unauthorized: 'The tracking server rejected the access key. Please check it above.',
      collector_token_missing: 'Please enter the access key above.',
      collector_unreachable: 'No tracking server answers at this address. Please check the address above.',
    },
  },
  feed: {
    itWasMe: 'That was me',
    itWasMeHint: 'Marks this event as your own: it no longer counts as the recipient’s.',
  },
  notify: {
    enable: 'Turn on desktop notifications',
    enabled: 'Desktop notifications are on.',
    denied: 'The browser blocks notifications for this page. New events only appear here in the app.',
    explain:
      'Blitz reports new opens and clicks as notifications of your browser – also when this window is in the background.',
  },
  drafts: {
    title: 'Drafts',
    saved: 'Draft saved',
    saving: 'Saving …',
    resume: 'Continue writing',
    delete: 'Delete draft',
    noSubject: '(no subject)',
    noRecipient: '(no recipient)',
    keptToast: 'Your e-mail was saved as a draft.',
    keptBody: 'You find it under “New e-mail” › Drafts.',
    discardConfirm: 'Discard this e-mail? Recipients, subject, text and attachments are deleted.',
    discardYes: 'Discard',
    discardNo: 'Cancel',
    updatedAt: 'last {{time}}',
  },
  afterSend: {
    filterCleared: 'Search and filter were reset so your new e-mail is visible.',
  },
  longText: {
    edit: 'Edit',
    preview: 'Preview',
    both: 'Side by side',
    hint: 'Heading: “# ” at the start of a line, subheading: “## ”. An empty line starts a new paragraph. The preview shows the text as the prospect receives it.',
    previewLabel: 'Preview of the text',
  },
  offline: {
    title: 'The tracking server is not reachable.',
    text: 'New events arrive as soon as it is reachable again. Sent e-mails wait in the queue.',
  },
  empty: {
    localTitle: 'Local test mode is running',
    compose: 'Write a new e-mail',
  },
};
