/** A field's help from the model, where `code` is written in backticks: shown as code. */
export function Hint({ text }: { text: string | undefined }) {
  if (!text) return null;
  const parts = text.split('`');
  return (
    <p className="hint">
      {parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}
    </p>
  );
}
