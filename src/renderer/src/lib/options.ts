import {
  deniedAction,
  flowAuthentication,
  flowDesignation,
  flowLayout,
  policyEngineMode,
  userType,
} from '@shared/model';
import { type Option } from '../components/common/SelectField';
import {
  authenticationLabels,
  deniedActionLabels,
  designationLabels,
  layoutLabels,
  policyEngineModeLabels,
  userTypeLabels,
} from './labels';

const from = (values: readonly string[], labels: Record<string, string>): Option[] =>
  values.map((value) => ({ value, label: labels[value] ?? value }));

/** Select options read from the shared zod enums, so a new authentik value shows up by itself. */
export const designationOptions = from(flowDesignation.options, designationLabels);
export const authenticationOptions = from(flowAuthentication.options, authenticationLabels);
export const deniedActionOptions = from(deniedAction.options, deniedActionLabels);
export const layoutOptions = from(flowLayout.options, layoutLabels);
export const policyEngineModeOptions = from(policyEngineMode.options, policyEngineModeLabels);
export const userTypeOptions = from(userType.options, userTypeLabels);
