import { type FormEvent, useState } from 'react';
import { type PolicyTestResult } from '@shared/contract';
import { type JsonValue, type Policy } from '@shared/model';
import { type Problem, toProblem } from '../../api/problem';
import { useClient } from '../../api/services-context';
import { useQuery } from '../../api/use-query';
import { fieldProps, useDraft } from '../../lib/use-draft';
import { ProblemMessage } from '../common/ProblemMessage';
import { SelectField } from '../common/SelectField';
import { TextAreaField } from '../common/TextAreaField';
import { TextField } from '../common/TextField';
import { PolicyTestResultView } from './PolicyTestResultView';

/** Seconds a previewed policy may run (authentik's binding default is 30). */
const PREVIEW_TIMEOUT_SECONDS = 10;

const ANONYMOUS = '';

type ParsedContext = { ok: true; value: Record<string, JsonValue> } | { ok: false; error: string };

/** The context textarea: empty = `{}`, else a JSON object. */
export function parseContext(text: string): ParsedContext {
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: 'Give a JSON object, e.g. {"pending_user": "alice"}' };
  }
  return { ok: true, value: value as Record<string, JsonValue> };
}

/** Who, with what context and from which IP: run the policy test and show its trace. */
export function PolicyTestPanel({
  policy,
  onErrorLine,
}: {
  policy: Policy;
  /** The line the result's error points at (null: none), for the source view. */
  onErrorLine(line: number | null): void;
}) {
  const client = useClient();
  const users = useQuery('users.list');
  // Previews stop sooner than authentik's 30 s binding default, so a runaway expression does not
  // hold the panel; the field shows it and can be raised.
  const draft = useDraft({ user: ANONYMOUS, context: '', ip: '', timeout: String(PREVIEW_TIMEOUT_SECONDS) });
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<PolicyTestResult | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [contextError, setContextError] = useState<string | null>(null);

  const serverFields = problem?.fields ?? {};
  const errors: Record<string, string> = {};
  if (serverFields.user) errors.user = serverFields.user;
  if (serverFields.request) errors.ip = serverFields.request;
  if (serverFields.timeout) errors.timeout = serverFields.timeout;
  const timeoutValue = Number(draft.value.timeout.trim());
  const timeoutValid = draft.value.timeout.trim() !== '' && Number.isFinite(timeoutValue) && timeoutValue > 0 && timeoutValue <= 3600;
  if (!timeoutValid) errors.timeout = 'Seconds between 0 and 3600';
  const contextMessage = contextError ?? serverFields.context;
  if (contextMessage) errors.context = contextMessage;

  const userOptions = [
    { value: ANONYMOUS, label: 'Anonymous (AnonymousUser)' },
    ...(users.data ?? []).map((user) => ({ value: String(user.pk), label: user.username })),
  ];

  async function run(event: FormEvent) {
    event.preventDefault();
    if (!timeoutValid) return;
    const context = parseContext(draft.value.context);
    if (!context.ok) {
      setContextError(context.error);
      return;
    }
    setContextError(null);
    setPending(true);
    setProblem(null);
    const ip = draft.value.ip.trim();
    try {
      const answer = await client.call('policies.test', {
        policy: policy.pk,
        user: draft.value.user === ANONYMOUS ? null : Number(draft.value.user),
        context: context.value,
        ...(ip === '' ? {} : { request: { ip } }),
        timeout: timeoutValue,
      });
      setResult(answer);
      onErrorLine(answer.error_line);
    } catch (error) {
      setResult(null);
      onErrorLine(null);
      setProblem(toProblem(error, ['user', 'context', 'request', 'timeout']));
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="policy-test">
      <form
        className="form"
        onSubmit={(event) => void run(event)}
        noValidate
        data-testid="policy-test-form"
      >
        <ProblemMessage problem={problem} />
        <div className="form-grid">
          <SelectField
            label="User"
            {...fieldProps(draft, 'user', errors)}
            options={userOptions}
            hint="request.user"
          />
          <TextField
            label="Client IP"
            {...fieldProps(draft, 'ip', errors)}
            monospace
            placeholder="127.0.0.1"
            hint="ak_client_ip; empty = 127.0.0.1"
          />
          <TextField
            label="Timeout (s)"
            {...fieldProps(draft, 'timeout', errors)}
            monospace
            hint={`A preview stops after ${PREVIEW_TIMEOUT_SECONDS} s; authentik's binding default is 30 s`}
          />
          <div className="form-grid-wide">
            <TextAreaField
              label="Context"
              {...fieldProps(draft, 'context', errors)}
              onChange={(value) => {
                draft.set('context', value);
                setContextError(null);
              }}
              monospace
              rows={4}
              placeholder='{"pending_user": "alice"}'
              hint='request.context as a JSON object; "pending_user": "<username>" becomes that user.'
            />
          </div>
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={pending}
            data-testid="run-policy-test"
          >
            {pending ? 'Running…' : 'Run test'}
          </button>
        </div>
      </form>
      {result && <PolicyTestResultView result={result} />}
    </div>
  );
}
