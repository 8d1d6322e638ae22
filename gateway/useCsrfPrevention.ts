import type { GatewayPlugin } from "@graphql-hive/gateway-runtime";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { API_KEY_HEADER, PURPOSE_HEADER } from "../protocol/headers.ts";
import { edgeError } from "./edge-errors.ts";

/** Headers a browser cannot send cross-site without a CORS preflight; any one of them proves the request is not a forged form post. */
export const PREFLIGHT_HEADERS = [API_KEY_HEADER, PURPOSE_HEADER, "authorization", "x-graphql-csrf"];

/**
 * CSRF prevention by Yoga's plugin (the one the runtime's `csrfPrevention`
 * option installs): a request a browser may send cross-site without asking
 * first (a GET, or a form-encoded POST) must carry one of PREFLIGHT_HEADERS.
 * JSON POSTs — the public page's among them — are always preflighted, so the
 * CORS allow-list decides those. Wrapped only to refuse with the hub's code
 * and a message that says what to send (the plugin's error has neither).
 */
export function useCsrfPrevention(): GatewayPlugin {
  const csrf = useCSRFPrevention({ requestHeaders: PREFLIGHT_HEADERS });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload as never);
      } catch {
        throw edgeError(
          "CSRF_HEADER_MISSING",
          `Send a JSON POST, or one of these headers: ${PREFLIGHT_HEADERS.join(", ")}.`,
          403,
        );
      }
    },
  };
}
