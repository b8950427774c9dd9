package io.meshwork.internal.telemetry;

/**
 * One access log line's fields.
 *
 * @param outbound whether it is a call this mesh made (false: a request it served)
 * @param startMillis when the exchange started, in epoch milliseconds
 * @param method the request method
 * @param path the request path with its query
 * @param status the response status, 0 when there was none
 * @param flag why the exchange did not end with the callee's own answer
 * @param bytesReceived body bytes received: the response's for a call, the request's for a request
 * @param bytesSent body bytes sent: the request's for a call, the response's for a request
 * @param durationNanos how long the exchange took
 * @param attempts attempts sent (calls), 1 for requests
 * @param service the destination service (calls) or this mesh's service (requests)
 * @param upstream the last instance tried (calls), or null
 * @param route the route taken (calls), or null
 * @param traceId the trace id, or null when tracing is off
 * @param caller the caller's identity: the peer's (requests) or this mesh's (calls); null when unknown
 */
public record AccessEntry(boolean outbound, long startMillis, String method, String path, int status,
    ResponseFlag flag, long bytesReceived, long bytesSent, long durationNanos, int attempts, String service,
    String upstream, String route, String traceId, String caller) {}
