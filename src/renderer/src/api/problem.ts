import { RpcCallError, type RpcError } from '@shared/contract';

/** An error made fit for a form: the message on top, issues next to the fields they name. */
export interface Problem {
  readonly code: RpcError['code'];
  readonly message: string;
  /** Field name → message, for issues whose path names a field the form shows. */
  readonly fields: Readonly<Record<string, string>>;
  /** Issues that name no field of the form, shown under the message. */
  readonly other: readonly string[];
}

function fieldOf(path: readonly (string | number)[]): string | null {
  const rest = path[0] === 'patch' ? path.slice(1) : path;
  return typeof rest[0] === 'string' ? rest[0] : null;
}

/**
 * `conflictField`: the form's one unique field (a flow's slug, a username). A CONFLICT that
 * carries no issues is about it, so the field is marked too, not only the message on top.
 */
export function toProblem(
  error: unknown,
  knownFields: readonly string[] = [],
  conflictField?: string,
): Problem {
  const rpc: RpcError =
    error instanceof RpcCallError
      ? error.error
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of rpc.issues ?? []) {
    const field = fieldOf(issue.path);
    if (field !== null && knownFields.includes(field)) {
      fields[field] ??= issue.message;
    } else {
      other.push(
        issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
      );
    }
  }
  if (rpc.code === 'CONFLICT' && conflictField !== undefined && Object.keys(fields).length === 0) {
    fields[conflictField] = 'Already in use: choose another.';
  }
  return { code: rpc.code, message: rpc.message, fields, other };
}
