/**
 * Changes typed but not saved, by the part of the page holding them: leaving the page (another
 * screen of the app, a reload, closing the tab) asks first while there are any.
 */
const unsaved = new Map<string, string>();

/** `what` is unsaved in `part` (e.g. "the metadata"); `undefined` when it is saved again. */
export function markUnsaved(part: string, what: string | undefined): void {
  if (what) unsaved.set(part, what);
  else unsaved.delete(part);
}

export const hasUnsaved = () => unsaved.size > 0;

/** Whether the user lets unsaved changes go (asked only when there are some). */
export function mayLeave(): boolean {
  if (!hasUnsaved()) return true;
  const what = [...unsaved.values()].join(' and ');
  const leave = window.confirm(`Your changes to ${what} are not saved. Leave without saving?`);
  if (leave) unsaved.clear();
  return leave;
}

/** Reads the page again on purpose, dropping what was typed (after a conflict, say). */
export function reloadPage(): void {
  unsaved.clear();
  window.location.reload();
}

// A reload or a closed tab: browsers ask in their own words when the event is cancelled.
window.addEventListener('beforeunload', (event) => {
  if (!hasUnsaved()) return;
  event.preventDefault();
  // Chromium before 119 and Safari ask only when returnValue is set as well.
  event.returnValue = true;
});
