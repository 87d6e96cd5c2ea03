/** rows per request of the activity list: a screen or two, at most a few ms in the core */
export const LIST_PAGE = 100;
