import { useState } from 'react';
import { ApiError, messageOf } from './api.ts';
import { reloadPage } from './unsaved.ts';

/** A message after an action, shown next to the control that caused it. */
export interface NoticeText {
  text: string;
  error: boolean;
  /** Neither success nor failure: something to know (there was nothing to import, say). */
  info?: boolean;
  /** Someone else changed the context meanwhile: the way out is to read it again. */
  conflict?: boolean;
}

/** The notice for a failed action. */
export const failureNotice = (error: unknown): NoticeText => ({
  text: messageOf(error),
  error: true,
  conflict: error instanceof ApiError && error.conflict,
});

/** A panel's notice, and `act`: runs an action, then says it was done or why it failed. */
export function useNotice() {
  const [notice, setNotice] = useState<NoticeText>();
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      setNotice({ text: done, error: false });
    } catch (error) {
      setNotice(failureNotice(error));
    }
  };
  return { notice, act };
}

/** A message after an action: success politely announced, an error as an alert. */
export function Notice({ notice }: { notice: NoticeText | undefined }) {
  if (!notice?.text) return null;
  const tone = notice.error ? 'error' : notice.info ? 'info' : 'success';
  return (
    <p role={notice.error ? 'alert' : 'status'} className={`notice ${tone}`}>
      {notice.text}
      {notice.conflict && (
        <>
          {' '}
          <button type="button" className="secondary" onClick={reloadPage}>
            Reload
          </button>
        </>
      )}
    </p>
  );
}
