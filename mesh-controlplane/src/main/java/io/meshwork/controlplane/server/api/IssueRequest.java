package io.meshwork.controlplane.server.api;

/**
 * The body of {@code POST /api/v1/certificates/issue} and of {@code POST /api/v1/bootstrap-tokens}.
 *
 * @param serviceName the workload's service ({@code *} for a token of any service of the namespace)
 * @param namespace its namespace; {@code default} when missing
 * @param ttl the lifetime, such as {@code 24h}; the control plane's maximum (certificates) or 24 h
 *     (tokens) when missing
 */
record IssueRequest(String serviceName, String namespace, String ttl) {}
