// Expected business failures of mutations: returned in the payload as userErrors, each naming its field.
import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum UserErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  CONFLICT = 'CONFLICT',
  FORBIDDEN = 'FORBIDDEN',
}
registerEnumType(UserErrorCode, {
  name: 'UserErrorCode',
  description: 'Codes of expected failures, from the same closed list as error extensions.',
  valuesConfig: {
    BAD_USER_INPUT: { description: 'A value is missing, malformed or out of range.' },
    NOT_FOUND: { description: 'A referenced record does not exist.' },
    CONFLICT: { description: 'The record changed since the version you sent, or would duplicate another.' },
    FORBIDDEN: { description: 'The record is outside what your key may write.' },
  },
});

@ObjectType({ description: 'An expected failure of a mutation; nothing was written.' })
export class UserError {
  @Field(() => String, { nullable: true, description: 'Path of the input field at fault, e.g. "input.title".' })
  field!: string | null;

  @Field()
  message!: string;

  @Field(() => UserErrorCode)
  code!: UserErrorCode;
}

/** Collects validation failures of one input, so the caller gets all of them at once. */
export class Checks {
  readonly errors: UserError[] = [];

  fail(field: string | null, message: string, code = UserErrorCode.BAD_USER_INPUT): void {
    this.errors.push({ field, message, code });
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  text(field: string, value: string | null | undefined, options: { required?: boolean; max?: number } = {}): void {
    if (value === undefined || value === null) {
      if (options.required) this.fail(field, `${field} is required.`);
      return;
    }
    const max = options.max ?? 2000;
    if (value.trim().length === 0) this.fail(field, `${field} must not be blank.`);
    else if (value.length > max) this.fail(field, `${field} must be at most ${max} characters.`);
  }

  integer(field: string, value: number | null | undefined, min: number, max: number): void {
    if (value === undefined || value === null) return;
    if (value < min || value > max) this.fail(field, `${field} must be between ${min} and ${max}; got ${value}.`);
  }

  pattern(field: string, value: string | null | undefined, pattern: RegExp, example: string): void {
    if (value === undefined || value === null) return;
    if (!pattern.test(value)) this.fail(field, `${field} must look like ${example}; got "${value.slice(0, 40)}".`);
  }

  sources(field: string, values: string[] | null | undefined): void {
    if (values === undefined || values === null) return;
    if (values.length === 0) this.fail(field, `${field} needs at least one source: a web address or a citation.`);
    if (values.length > 20) this.fail(field, `${field} takes at most 20 sources.`);
    values.forEach((v, i) => this.text(`${field}[${i}]`, v, { max: 500 }));
  }
}

/**
 * Database refusals that validation did not foresee (a unique key taken meanwhile, a lost optimistic race,
 * a check constraint) become a userError instead of a 500; anything else is rethrown.
 */
export function userErrorFromDatabase(error: unknown): UserError {
  const name = (error as { name?: string; constraint?: string })?.name;
  if (name === 'UniqueConstraintViolationException') {
    return { field: null, code: UserErrorCode.CONFLICT, message: 'Another record already has these identifying values.' };
  }
  if (name === 'OptimisticLockError') {
    return { field: 'input.version', code: UserErrorCode.CONFLICT, message: 'The record changed while you wrote; reload and retry.' };
  }
  if (name === 'CheckConstraintViolationException' || name === 'ForeignKeyConstraintViolationException' || name === 'NotNullConstraintViolationException') {
    const constraint = (error as { constraint?: string }).constraint;
    return { field: null, code: UserErrorCode.BAD_USER_INPUT, message: `The database refused the record${constraint ? ` (${constraint})` : ''}.` };
  }
  throw error;
}
