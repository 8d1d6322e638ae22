import { hasRole } from "../protocol/identity.ts";
import type { EdgeOptions } from "./edge-options.ts";
import { callerOfRequest, type HubContext } from "./useAuthentication.ts";

/** A hub operator's key: not an organisation's ADMIN, which every organisation's own administrator holds. */
function isOperator(context: (Partial<HubContext> & { request?: Request }) | undefined): boolean {
  const caller = context?.hub?.caller ?? callerOfRequest(context?.request);
  return !!caller && hasRole(caller, "OPERATOR");
}

/** Whether this request may introspect the schema and see "did you mean" suggestions: always outside production; in production, hub operators only. */
export function mayIntrospect(
  options: EdgeOptions,
  context: (Partial<HubContext> & { request?: Request }) | undefined,
): boolean {
  return !options.production || isOperator(context);
}
