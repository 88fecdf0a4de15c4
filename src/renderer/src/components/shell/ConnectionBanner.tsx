import { type ReactNode } from 'react';
import { useServices } from '../../api/services-context';
import { useConnectionStore } from '../../state/connection-store';

/** Says plainly when main cannot be reached or refuses us, with a way to try again. */
export function ConnectionBanner() {
  const connection = useConnectionStore((state) => state.connection);
  const { cache, missingToken } = useServices();
  let text: ReactNode = null;
  let detail: string | undefined;
  if (missingToken && connection.status !== 'online') {
    text = (
      <>
        <strong>No access token.</strong> Open the full address printed by{' '}
        <code>flowbench serve</code> (it ends in <code>#token=…</code>).
      </>
    );
  } else if (connection.status === 'unauthorized') {
    detail = connection.message;
    text = (
      <>
        <strong>Flowbench refused this window.</strong> Open the address printed by{' '}
        <code>flowbench serve</code> again.
      </>
    );
  } else if (connection.status === 'offline') {
    detail = connection.message;
    text = (
      <>
        <strong>Cannot reach Flowbench.</strong> Is <code>flowbench serve</code> still running?
        Changes cannot be saved until it answers again.
      </>
    );
  }
  if (text === null) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <span className="connection-banner-text" title={detail}>
        {text}
      </span>
      <button type="button" className="button button-small" onClick={() => cache.refetchAll()}>
        Retry
      </button>
    </div>
  );
}
