import { z } from 'zod';
import { type KindDef } from '../kind-registry';

/** authentik's default symbol set: ASCII punctuation followed by a space (the space counts). */
export const defaultSymbolCharset = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ ';

const count = z.number().int().min(0);

export const passwordPolicy = {
  model: 'authentik_policies_password.passwordpolicy',
  label: 'Password Policy',
  description: 'Checks a password for length, character classes, HIBP leaks and zxcvbn strength.',
  config: z.object({
    password_field: z.string().min(1).default('password'),
    check_static_rules: z.boolean().default(true),
    check_have_i_been_pwned: z.boolean().default(false),
    check_zxcvbn: z.boolean().default(false),
    amount_digits: count.default(0),
    amount_uppercase: count.default(0),
    amount_lowercase: count.default(0),
    amount_symbols: count.default(0),
    length_min: count.default(0),
    symbol_charset: z.string().default(defaultSymbolCharset),
    error_message: z.string().default(''),
    hibp_allowed_count: count.default(0),
    zxcvbn_score_threshold: count.default(2),
  }),
} as const satisfies KindDef;
