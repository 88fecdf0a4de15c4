import { type ReactNode } from 'react';

/** The button row of a dialog form: secondary actions first, the primary one last. */
export function DialogFooter({ children }: { children: ReactNode }) {
  return <footer className="dialog-footer">{children}</footer>;
}
