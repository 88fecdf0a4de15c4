import { type FileReport } from '@shared/contract';
import { versionRange } from '../../lib/import-report';

/** "Written for authentik ≥ 2024.4", with what gave it away in a disclosure. */
export function VersionGuess({ guess }: { guess: FileReport['versionGuess'] }) {
  if (guess === null) {
    return (
      <p className="muted">
        No authentik version guessed: the file could not be read as a blueprint.
      </p>
    );
  }
  const text = (
    <>
      Written for authentik <strong className="mono">{versionRange(guess.range)}</strong>
    </>
  );
  if (guess.evidence.length === 0) return <p data-testid="version-guess">{text}</p>;
  return (
    <details className="disclosure" data-testid="version-guess">
      <summary>
        {text}
        <span className="muted"> · why</span>
      </summary>
      <ul className="disclosure-list">
        {guess.evidence.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
    </details>
  );
}
