import { API_KEY_HEADER, PURPOSE_HEADER } from "../protocol/headers.ts";

/** A minimal GraphQL-over-HTTP client: what the seed, the CLI and the tests use to talk to the hub. */

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface CallOptions {
  apiKey?: string;
  purpose?: string;
  headers?: Record<string, string>;
}

export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<GraphQLResponse<T>> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
    ...options.headers,
  };
  if (options.apiKey) headers[API_KEY_HEADER] = options.apiKey;
  if (options.purpose) headers[PURPOSE_HEADER] = options.purpose;
  const response = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  try {
    return { status: response.status, ...(JSON.parse(text) as Omit<GraphQLResponse<T>, "status">) };
  } catch {
    return { status: response.status, errors: [{ message: text }] };
  }
}

/** Like graphql(), but any error is thrown: for callers that expect success. */
export async function mustGraphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: CallOptions = {},
): Promise<T> {
  const result = await graphql<T>(url, query, variables, options);
  if (result.errors?.length || !result.data)
    throw new Error(
      `GraphQL request failed (${result.status}): ${result.errors?.map((e) => e.message).join("; ") ?? "no data"}`,
    );
  return result.data;
}
