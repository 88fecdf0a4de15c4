import { useState } from 'react';
import { type Policy } from '@shared/model';
import { policyKindLabel } from '../../lib/labels';
import { Badge } from '../common/Badge';
import { DetailHeader } from '../common/DetailHeader';
import { Section } from '../common/Section';
import { ExpressionSource } from './ExpressionSource';
import { PolicyConfigTable } from './PolicyConfigTable';
import { ExpressionRuntimeStatus } from './ExpressionRuntimeStatus';
import { PolicyTestPanel } from './PolicyTestPanel';

const EXPRESSION_KIND = 'authentik_policies_expression.expressionpolicy';

/** One policy: its config (an expression's source with line numbers) and the policy test. */
export function PolicyDetail({ policy }: { policy: Policy }) {
  // The line the last test's error points at, highlighted in the source.
  const [errorLine, setErrorLine] = useState<number | null>(null);
  const expression =
    policy.kind === EXPRESSION_KIND && typeof policy.config.expression === 'string'
      ? policy.config.expression
      : null;
  return (
    <article className="detail" data-testid="policy-detail">
      <DetailHeader
        kind="Policy"
        title={policy.name}
        meta={
          <>
            <Badge tone="accent">{policyKindLabel(policy.kind)}</Badge>
            <span className="mono truncate">{policy.kind}</span>
            {policy.execution_logging && <Badge>execution logging</Badge>}
          </>
        }
      />
      {expression !== null ? (
        <Section
          title="Expression"
          description="Python, the body of authentik's handler(request, …). Read-only here."
          testId="policy-config"
        >
          <ExpressionSource source={expression} highlightLine={errorLine} />
        </Section>
      ) : (
        <Section title="Configuration" testId="policy-config">
          <PolicyConfigTable config={policy.config} />
        </Section>
      )}
      <Section
        title="Test policy"
        description="Evaluates this policy once, as authentik's policy test does (no negate, failure result false, no events, no cache), on a copy of the workspace: nothing is written."
        testId="policy-test"
      >
        {expression !== null && <ExpressionRuntimeStatus />}
        <PolicyTestPanel policy={policy} onErrorLine={setErrorLine} />
      </Section>
    </article>
  );
}
