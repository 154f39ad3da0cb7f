/** The banner that says why a share link could not be opened (its text is shown as text, never as HTML). */
import { useLab } from './lab-store';

export function LinkErrorBanner() {
  const error = useLab((s) => s.linkError);
  const dismiss = useLab((s) => s.dismissLinkError);
  if (!error) return null;
  return (
    <div className="banner error" role="alert" data-testid="link-error">
      <span>
        <strong>This link could not be opened:</strong> {error}. The default experiment is shown instead.
      </span>
      <button type="button" className="link-button" onClick={dismiss} aria-label="Dismiss">
        ×
      </button>
    </div>
  );
}
