package io.meshwork.fleet.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;

/**
 * How meshes check the JWTs that security rules with {@code required_jwt} ask for: the {@code jwt}
 * object of {@code POST /api/v1/config}. The signing keys are a JWK set given inline ({@code jwks}),
 * one public key in PEM ({@code public_key_pem}), or a JWK set fetched from {@code jwks_uri}; exactly
 * one of the three.
 *
 * @param issuer the {@code iss} every token must carry
 * @param audiences the {@code aud} values accepted; a token must name one of them (none: any audience)
 * @param jwks a JWK set, {@code {"keys": [...]}}
 * @param publicKeyPem a public key (RSA or EC) in PEM
 * @param jwksUri where meshes fetch the JWK set (http or https)
 * @param clockSkew how far {@code exp} and {@code nbf} may be off, such as {@code 30s}; 60 s when missing
 */
public record JwtSettings(String issuer, List<String> audiences, JsonNode jwks, String publicKeyPem, String jwksUri,
    String clockSkew) {

  /**
   * These settings checked.
   *
   * @throws FieldError naming the first bad field
   */
  public JwtSettings checked() {
    Checks.text("issuer", issuer, 1024);
    if (audiences != null) {
      for (int i = 0; i < audiences.size(); i++) {
        Checks.text("audiences[" + i + "]", audiences.get(i), 1024);
      }
    }
    int sources = (jwks != null ? 1 : 0) + (publicKeyPem != null ? 1 : 0) + (jwksUri != null ? 1 : 0);
    if (sources != 1) {
      throw new FieldError("jwks", sources + " key sources", "exactly one of jwks, public_key_pem and jwks_uri");
    }
    if (jwks != null && (!jwks.isObject() || !jwks.path("keys").isArray())) {
      throw new FieldError("jwks", jwks, "a JWK set, {\"keys\": [...]}");
    }
    if (jwksUri != null) {
      try {
        URI uri = URI.create(jwksUri);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
          throw new IllegalArgumentException("scheme");
        }
      } catch (IllegalArgumentException e) {
        throw new FieldError("jwks_uri", jwksUri, "an http or https URL");
      }
    }
    if (clockSkew != null) {
      DurationText.parse("clock_skew", clockSkew);
    }
    return new JwtSettings(issuer, audiences == null ? List.of() : List.copyOf(audiences), jwks, publicKeyPem,
        jwksUri, clockSkew);
  }
}
