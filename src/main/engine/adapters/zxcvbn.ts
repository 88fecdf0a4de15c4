import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';
import { type PasswordStrength, type PasswordStrengthEstimator } from '../ports';

/**
 * The password policy's zxcvbn check through `@zxcvbn-ts/core` (the maintained TypeScript port
 * of Dropbox's zxcvbn, which authentik runs through the Python `zxcvbn` package): the common
 * and English dictionaries, the keyboard adjacency graphs and English feedback texts. Scores
 * are 0–4 as in zxcvbn; the policy scores only the first 72 characters and passes when the
 * score is above its threshold (spec §6.2) — that logic stays in the policy kind.
 *
 * Building the ranked dictionaries takes a moment, so the factory is made once, on first use.
 */

let factory: ZxcvbnFactory | null = null;

function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEn.translations,
  });
  return factory;
}

export const zxcvbnEstimator: PasswordStrengthEstimator = {
  estimate(password: string, userInputs: string[]): PasswordStrength {
    // authentik passes "" for a user without name/email; an empty word can never match.
    const result = zxcvbn().check(password, userInputs.filter((input) => input !== ''));
    return {
      score: result.score,
      feedback: { warning: result.feedback.warning || null, suggestions: [...result.feedback.suggestions] },
    };
  },
};
