package io.meshwork.controlplane.server.export;

import io.meshwork.fleet.api.Endpoint;
import io.meshwork.policy.ServicePolicy;
import io.meshwork.resilience.OutlierDetectionConfig;
import io.meshwork.resilience.RetryOn;
import io.meshwork.resilience.RetryPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * An NGINX {@code upstream} and {@code server} block (for the {@code http} context) that proxies to one
 * service's instances as a mesh calling it would: weights (a drained or unhealthy instance is
 * {@code down}), {@code max_fails}/{@code fail_timeout} from the outlier detection, the connect and
 * call timeouts, retries on the next instance, and, with mTLS, TLS to the instances with the
 * workload's certificate, checking the service's DNS name in theirs. Route rules are not exported:
 * NGINX sends every call to the whole service.
 */
public final class NginxConfig {

  private NginxConfig() {}

  /**
   * The blocks for calls to {@code service} of {@code namespace} under {@code policy}, listening on
   * {@code listen} (such as {@code 127.0.0.1:8080}).
   */
  public static String render(SidecarView view, String service, String namespace, ServicePolicy policy,
      List<Endpoint> endpoints, String listen) {
    StringBuilder conf = new StringBuilder();
    conf.append("# Meshwork: calls to ").append(namespace).append('/').append(service).append(", ")
        .append(endpoints.size()).append(" instances\n");
    conf.append("upstream ").append(service).append(" {\n");
    OutlierDetectionConfig outlier = policy.outlierDetection();
    String failures = outlier.enabled() ? " max_fails=" + outlier.consecutiveFailures() + " fail_timeout="
        + Durations.nginx(outlier.baseEjectionTime()) : " max_fails=0";
    for (Endpoint endpoint : endpoints) {
      String host = endpoint.ip().indexOf(':') >= 0 ? "[" + endpoint.ip() + "]" : endpoint.ip();
      conf.append("    server ").append(host).append(':').append(endpoint.port())
          .append(" weight=").append(Math.max(1, endpoint.weight())).append(failures);
      if (endpoint.weight() == 0 || "unhealthy".equals(endpoint.status())) {
        conf.append(" down");
      }
      conf.append(";\n");
    }
    conf.append("    keepalive 32;\n}\n\n");
    conf.append("server {\n");
    conf.append("    listen ").append(listen).append(";\n");
    conf.append("    location / {\n");
    conf.append("        proxy_pass ").append(view.tls() ? "https://" : "http://").append(service).append(";\n");
    conf.append("        proxy_http_version 1.1;\n");
    conf.append("        proxy_set_header Connection \"\";\n");
    conf.append("        proxy_connect_timeout ").append(Durations.nginx(policy.connectTimeout())).append(";\n");
    conf.append("        proxy_send_timeout ").append(Durations.nginx(policy.timeout())).append(";\n");
    conf.append("        proxy_read_timeout ").append(Durations.nginx(policy.timeout())).append(";\n");
    RetryPolicy retry = policy.retry();
    conf.append("        proxy_next_upstream ").append(String.join(" ", nextUpstream(retry))).append(";\n");
    conf.append("        proxy_next_upstream_tries ").append(retry.maxAttempts()).append(";\n");
    conf.append("        proxy_next_upstream_timeout ").append(Durations.nginx(policy.timeout())).append(";\n");
    if (view.tls()) {
      conf.append("        proxy_ssl_certificate ").append(view.certificate()).append(";\n");
      conf.append("        proxy_ssl_certificate_key ").append(view.privateKey()).append(";\n");
      conf.append("        proxy_ssl_trusted_certificate ").append(view.trustedCa()).append(";\n");
      conf.append("        proxy_ssl_verify on;\n");
      conf.append("        proxy_ssl_verify_depth 3;\n");
      conf.append("        proxy_ssl_name ").append(service).append('.').append(namespace).append(".svc.cluster.local;\n");
      conf.append("        proxy_ssl_server_name on;\n");
      conf.append("        proxy_ssl_session_reuse on;\n");
    }
    conf.append("    }\n}\n");
    return conf.toString();
  }

  private static List<String> nextUpstream(RetryPolicy retry) {
    List<String> conditions = new ArrayList<>();
    if (retry.maxAttempts() <= 1) {
      conditions.add("off");
      return conditions;
    }
    if (retry.retryOn().contains(RetryOn.CONNECT_FAILURE) || retry.retryOn().contains(RetryOn.RESET)) {
      conditions.add("error");
    }
    if (retry.retryOn().contains(RetryOn.TIMEOUT)) {
      conditions.add("timeout");
    }
    if (retry.retryOn().contains(RetryOn.SERVER_ERROR)) {
      conditions.add("http_500");
      conditions.add("http_502");
      conditions.add("http_503");
      conditions.add("http_504");
    }
    for (int status : retry.retryableStatuses().stream().sorted().toList()) {
      if (status == 403 || status == 404 || status == 429) {
        conditions.add("http_" + status);
      }
    }
    if (retry.retryNonIdempotent()) {
      conditions.add("non_idempotent");
    }
    if (conditions.isEmpty()) {
      conditions.add("off");
    }
    return conditions;
  }
}
