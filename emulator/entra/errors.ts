/** Entra-shaped OAuth errors: {error, error_description:"AADSTSnnn: ...", error_codes, timestamp, trace_id, correlation_id}. */
import { json, newId, type Reply } from "../http";

export function entraError(
  status: number, error: string, code: number, description: string, extra: { suberror?: string; correlationId?: string } = {},
): Reply {
  const traceId = newId();
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  const correlation = extra.correlationId ?? newId();
  return json(status, {
    error,
    ...(extra.suberror ? { suberror: extra.suberror } : {}),
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlation} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlation,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  });
}
