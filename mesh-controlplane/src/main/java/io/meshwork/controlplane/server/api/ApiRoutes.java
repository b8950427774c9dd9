package io.meshwork.controlplane.server.api;

import io.meshwork.controlplane.server.api.Route.Access;
import java.util.List;

/**
 * Every endpoint of the control plane, in one list: method, path, who may call, handler. The seeds'
 * paths and snake_case fields; mutations answer with the seeds' {@code status} strings.
 */
public final class ApiRoutes {

  private ApiRoutes() {}

  /** The API over {@code context}, with {@code metrics} behind {@code GET /metrics} (null: the built-in gauges). */
  public static ApiServer server(ApiContext context, WatchHub watches, MetricsExposition metrics,
      java.util.Set<String> adminIdentities, boolean openReads) {
    return new ApiServer(routes(context, watches, metrics), new Authenticator(context.state(), adminIdentities),
        openReads);
  }

  static List<Route> routes(ApiContext context, WatchHub watches, MetricsExposition metrics) {
    StatusEndpoints status = new StatusEndpoints(context, watches, metrics);
    ServiceEndpoints services = new ServiceEndpoints(context);
    RuleEndpoints rules = new RuleEndpoints(context.state());
    ConfigEndpoints config = new ConfigEndpoints(context.state());
    CertificateEndpoints certificates = new CertificateEndpoints(context);
    TokenEndpoints tokens = new TokenEndpoints(context.state());
    ExportEndpoints exports = new ExportEndpoints(context);
    WatchEndpoint watch = new WatchEndpoint(watches);
    DashboardEndpoints dashboard = new DashboardEndpoints();
    return List.of(
        new Route("GET", "/", Access.OPEN, dashboard::root),
        new Route("GET", "/dashboard", Access.OPEN, dashboard::asset),
        new Route("GET", "/dashboard/view.json", Access.OPEN, dashboard::view),
        new Route("GET", "/dashboard/{asset}", Access.OPEN, dashboard::asset),
        new Route("GET", "/dashboard/", Access.OPEN, dashboard::asset),
        new Route("GET", "/health", Access.OPEN, status::health),
        new Route("GET", "/metrics", Access.READ, status::prometheus),
        new Route("GET", "/api/v1/status", Access.READ, status::status),
        new Route("GET", "/api/v1/metrics", Access.READ, status::metrics),
        new Route("POST", "/api/v1/services/register", Access.AUTHENTICATED, services::register),
        new Route("GET", "/api/v1/services", Access.READ, services::list),
        new Route("GET", "/api/v1/services/{namespace}/{service}", Access.READ, services::get),
        new Route("DELETE", "/api/v1/services/{namespace}/{service}/{id}", Access.AUTHENTICATED, services::deregister),
        new Route("POST", "/api/v1/traffic-rules/{namespace}/{service}", Access.ADMIN, rules::addTrafficRule),
        new Route("GET", "/api/v1/traffic-rules/{namespace}/{service}", Access.READ, rules::trafficRules),
        new Route("DELETE", "/api/v1/traffic-rules/{namespace}/{service}/{id}", Access.ADMIN, rules::deleteTrafficRule),
        new Route("POST", "/api/v1/security-rules", Access.ADMIN, rules::addSecurityRule),
        new Route("GET", "/api/v1/security-rules", Access.READ, rules::securityRules),
        new Route("DELETE", "/api/v1/security-rules/{id}", Access.ADMIN, rules::deleteSecurityRule),
        new Route("POST", "/api/v1/config", Access.ADMIN, config::update),
        new Route("GET", "/api/v1/config", Access.READ, config::get),
        new Route("GET", "/api/v1/certificates/ca", Access.OPEN, certificates::ca),
        new Route("GET", "/api/v1/certificates/crl", Access.OPEN, certificates::crl),
        new Route("POST", "/api/v1/certificates/sign", Access.AUTHENTICATED, certificates::sign),
        new Route("POST", "/api/v1/certificates/issue", Access.ADMIN, certificates::issue),
        new Route("GET", "/api/v1/certificates", Access.READ, certificates::list),
        new Route("DELETE", "/api/v1/certificates/{serial}", Access.ADMIN, certificates::revoke),
        new Route("DELETE", "/api/v1/certificates/identity/{namespace}/{service}", Access.ADMIN,
            certificates::revokeIdentity),
        new Route("POST", "/api/v1/bootstrap-tokens", Access.ADMIN, tokens::create),
        new Route("GET", "/api/v1/bootstrap-tokens", Access.ADMIN, tokens::list),
        new Route("DELETE", "/api/v1/bootstrap-tokens/{id}", Access.ADMIN, tokens::delete),
        new Route("GET", "/api/v1/envoy/configs/{service}", Access.READ, exports::envoy),
        new Route("GET", "/api/v1/nginx/configs/{service}", Access.READ, exports::nginx),
        new Route("GET", "/api/v1/watch", Access.READ, watch::watch));
  }
}
