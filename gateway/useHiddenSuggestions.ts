import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import type { ValidationRule } from "graphql";

/**
 * Validation errors without "Did you mean …?" for callers `shows` says no to,
 * by graphql 16's own `hideSuggestions` validation option (no message rewriting).
 */
export function useHiddenSuggestions(shows: (context: unknown) => boolean): GatewayPlugin {
  return {
    onValidate({ context, validateFn, setValidationFn, addValidationRule }) {
      if (shows(context)) return;
      // Yoga caches validation results by the names of the rules run (its cache plugin runs after this one), not by
      // the options: this rule, which checks nothing, keeps the callers' two kinds of results apart.
      addValidationRule(SuggestionsHidden);
      setValidationFn((schema, documentAST, rules) =>
        validateFn(schema, documentAST, rules, { hideSuggestions: true }),
      );
    },
  };
}

const SuggestionsHidden: ValidationRule = () => ({});
