import { useEffect, useState } from 'react';
import { type ProcedureOutput } from '@shared/contract';
import { useClient } from '../../api/services-context';

type Status = ProcedureOutput<'policies.runtime'>;

const HOST_LABELS: Record<string, string> = {
  'electron-renderer': 'an isolated hidden window',
  'node-child': 'an isolated child process',
};

function describe(status: Status): string {
  const where = HOST_LABELS[status.host] ?? status.host;
  switch (status.state) {
    case 'ready':
      return `Python ${status.python ?? '?'} (Pyodide ${status.pyodide ?? '?'}) is ready in ${where}${status.loadMs !== null ? `, loaded in ${(status.loadMs / 1000).toFixed(1)} s` : ''}.`;
    case 'idle':
    case 'starting':
      return `Loading Python in ${where}… (a few seconds, once)`;
    case 'failed':
      return `Python could not be started: ${status.lastExit ?? 'unknown error'}`;
    case 'unavailable':
      return 'No Python runtime in this build: expression policies always fail here.';
  }
}

/**
 * Where the expression runtime stands. Opening this starts loading Python (off every critical
 * path), so the first test does not wait for it; polls until the interpreter is up.
 */
export function ExpressionRuntimeStatus() {
  const client = useClient();
  const [status, setStatus] = useState<Status | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async (warmUp: boolean) => {
      try {
        const next = await client.call('policies.runtime', { warmUp });
        if (stopped) return;
        setStatus(next);
        if (next.state === 'idle' || next.state === 'starting') timer = setTimeout(() => void poll(false), 800);
      } catch {
        // The connection banner reports transport problems; the line just stays as it was.
      }
    };
    void poll(true);
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [client]);

  if (!status) return null;
  const tone = status.state === 'ready' ? 'ok' : status.state === 'failed' || status.state === 'unavailable' ? 'bad' : 'busy';
  return (
    <p className={`runtime-status runtime-status-${tone}`} data-testid="expression-runtime-status" data-state={status.state}>
      {describe(status)}
    </p>
  );
}
