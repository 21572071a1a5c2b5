// Depth, alias and directive limits as validation rules (graphql-armor's), so an over-limit operation is
// refused with Apollo's 400 GRAPHQL_VALIDATION_FAILED before anything runs. Armor's token rule stays off:
// Apollo's parser enforces maxTokens, and armor's version turns syntax errors into 500s.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { QueryLimits } from './limits';

/**
 * Armor throws out of graphql-js's validate() by default, which Apollo answers with a 500; reporting the
 * error instead makes it an ordinary validation error. Its messages start with a misleading "Syntax Error:".
 */
const report = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

export function limitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    maxDirectivesRule({ n: limits.maxDirectives, ...report }),
  ] as ValidationRule[];
}
