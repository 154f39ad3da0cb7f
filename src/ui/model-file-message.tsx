/** What the last save or load of a trained model's file did (status), or why a file was refused (an alert to dismiss). */
export function ModelFileMessage({ message, refused, dismiss, testId }: { message: string | null; refused: boolean; dismiss: () => void; testId: string }) {
  if (!message) return null;
  return refused ? (
    <p className="banner error" role="alert" data-testid={`${testId}-refused`}>
      <span>{message}</span>
      <button type="button" className="link-button" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </p>
  ) : (
    <p className="about" role="status" data-testid={`${testId}-message`}>
      {message}
    </p>
  );
}
