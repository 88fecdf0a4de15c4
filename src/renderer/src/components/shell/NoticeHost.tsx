import { useEffect } from 'react';
import { useNoticeStore } from '../../state/notice-store';

const VISIBLE_MS = 8000;

/** Shows the current notice in a polite live region, and lets it go after a few seconds. */
export function NoticeHost() {
  const notice = useNoticeStore((state) => state.notice);
  const dismiss = useNoticeStore((state) => state.dismiss);
  useEffect(() => {
    if (!notice) return;
    const timer = window.setTimeout(() => dismiss(notice.id), VISIBLE_MS);
    return () => window.clearTimeout(timer);
  }, [notice, dismiss]);
  return (
    <div className="notice-region" role="status" aria-live="polite">
      {notice && (
        <div className={`notice notice-${notice.tone}`} data-testid="notice">
          <span className="notice-text">{notice.text}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss message"
            onClick={() => dismiss(notice.id)}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
