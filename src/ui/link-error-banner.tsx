/**
 * The banner that says why a share link could not be opened, and keeps the link itself to copy (the address
 * bar has moved on to the default experiment) so that its sender can be told what was wrong. Both are shown
 * as text, never as HTML. A link opened without a checksum (made before links carried one) gets a small
 * note instead: it opened, but nothing shows that it is the link its sender made.
 */
import { useRef, useState } from 'react';
import { useLab } from './lab-store';

function DismissButton() {
  const dismiss = useLab((s) => s.dismissLinkError);
  return (
    <button type="button" className="link-button" onClick={dismiss} aria-label="Dismiss">
      ×
    </button>
  );
}

export function LinkErrorBanner() {
  const notice = useLab((s) => s.linkError);
  if (!notice) return null;
  if (notice.kind === 'unverified') {
    return (
      <div className="banner notice link-unverified" role="status" data-testid="link-unverified">
        <span>
          <strong>This link could not be verified:</strong> it was made before HedgeLab links carried a checksum, so an edit to it
          would go unnoticed. Check the experiment before you rely on it.
        </span>
        <DismissButton />
      </div>
    );
  }
  return <RefusedLinkBanner link={notice.link} reason={notice.reason} />;
}

function RefusedLinkBanner(refused: { link: string; reason: string }) {
  const box = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<{ link: string; how: 'copied' | 'by hand' } | null>(null);
  const how = copied?.link === refused.link ? copied.how : null;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(refused.link);
      setCopied({ link: refused.link, how: 'copied' });
    } catch {
      // No clipboard access: the link is selected in its box, to copy with the keyboard.
      box.current?.select();
      setCopied({ link: refused.link, how: 'by hand' });
    }
  };

  return (
    <div className="banner error link-error" role="alert" data-testid="link-error">
      <div className="link-error-body">
        <span>
          <strong>This link could not be opened:</strong> {refused.reason}. The default experiment is shown instead.
        </span>
        <div className="refused-link">
          <label>
            <span>The link, to send back to whoever shared it:</span>
            <input ref={box} type="text" readOnly spellCheck={false} data-testid="refused-link" value={refused.link} onFocus={(e) => e.target.select()} />
          </label>
          <button type="button" data-testid="copy-refused-link" onClick={() => void copy()}>
            {how === 'copied' ? 'Copied' : how === 'by hand' ? 'Press Ctrl+C to copy' : 'Copy link'}
          </button>
        </div>
      </div>
      <DismissButton />
    </div>
  );
}
