import { type Problem } from '../../api/problem';

/** A failed call, shown on top of the form that made it. */
export function ProblemMessage({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  return (
    <div className="problem" role="alert" data-testid="problem">
      <p className="problem-message">{problem.message}</p>
      {problem.other.length > 0 && (
        <ul className="problem-issues">
          {problem.other.map((issue) => (
            <li key={issue}>{issue}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
