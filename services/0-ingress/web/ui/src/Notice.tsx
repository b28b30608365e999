/** A message after an action: success politely announced, an error as an alert. */
export function Notice({ notice }: { notice: { text: string; error: boolean } | undefined }) {
  if (!notice?.text) return null;
  return (
    <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'error' : 'success'}>
      {notice.text}
    </p>
  );
}
