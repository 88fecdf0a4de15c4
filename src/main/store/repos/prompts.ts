import { type Prompt, promptSchema } from '@shared/model';
import { type Db } from '../db';
import { parseRow, stmt, toBool, toInt } from '../sql';

interface PromptRow {
  pk: string;
  name: string;
  field_key: string;
  label: string;
  type: string;
  required: number;
  placeholder: string;
  initial_value: string;
  sub_text: string;
  order: number;
  placeholder_expression: number;
  initial_value_expression: number;
}

const COLUMNS =
  'pk, name, field_key, label, type, required, placeholder, initial_value, sub_text, "order", placeholder_expression, initial_value_expression';

// Built once: the statement cache (sql.ts) is keyed by the text.
const SELECT_ALL = `SELECT ${COLUMNS} FROM prompts ORDER BY "order", name`;
const SELECT_BY_PK = `SELECT ${COLUMNS} FROM prompts WHERE pk = ?`;
const INSERT = `INSERT INTO prompts (${COLUMNS}) VALUES (@pk, @name, @field_key, @label, @type, @required, @placeholder,
      @initial_value, @sub_text, @order, @placeholder_expression, @initial_value_expression)`;

function fromRow(row: PromptRow): Prompt {
  return parseRow(promptSchema, 'prompts', row.pk, {
    ...row,
    required: toBool(row.required),
    placeholder_expression: toBool(row.placeholder_expression),
    initial_value_expression: toBool(row.initial_value_expression),
  });
}

function toRow(prompt: Prompt): PromptRow {
  return {
    pk: prompt.pk,
    name: prompt.name,
    field_key: prompt.field_key,
    label: prompt.label,
    type: prompt.type,
    required: toInt(prompt.required),
    placeholder: prompt.placeholder,
    initial_value: prompt.initial_value,
    sub_text: prompt.sub_text,
    order: prompt.order,
    placeholder_expression: toInt(prompt.placeholder_expression),
    initial_value_expression: toInt(prompt.initial_value_expression),
  };
}

/** All prompts by order, then name (the order a prompt stage shows them in). */
export function listPrompts(db: Db): Prompt[] {
  return stmt<PromptRow>(db, SELECT_ALL).all().map(fromRow);
}

export function getPrompt(db: Db, pk: string): Prompt | undefined {
  const row = stmt<PromptRow>(db, SELECT_BY_PK).get(pk);
  return row ? fromRow(row) : undefined;
}

export function getPromptName(db: Db, pk: string): string | undefined {
  return stmt<{ name: string }>(db, 'SELECT name FROM prompts WHERE pk = ?').get(pk)?.name;
}

export function insertPrompt(db: Db, prompt: Prompt): void {
  stmt(db, INSERT).run(toRow(prompt));
}

export function updatePrompt(db: Db, prompt: Prompt): boolean {
  return (
    stmt(
      db,
      `UPDATE prompts SET name = @name, field_key = @field_key, label = @label, type = @type, required = @required,
        placeholder = @placeholder, initial_value = @initial_value, sub_text = @sub_text, "order" = @order,
        placeholder_expression = @placeholder_expression, initial_value_expression = @initial_value_expression
       WHERE pk = @pk`,
    ).run(toRow(prompt)).changes === 1
  );
}

export function deletePrompt(db: Db, pk: string): boolean {
  return stmt(db, 'DELETE FROM prompts WHERE pk = ?').run(pk).changes === 1;
}
