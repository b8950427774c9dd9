package io.meshwork.fleet.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.meshwork.fleet.api.DurationText;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.JwtSettings;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a bearer JWT with nimbus-jose-jwt: a JWS signed by one of the configured keys with an
 * algorithm of their type (an unsigned {@code alg: none} token is refused), issued by the configured
 * issuer, for one of the configured audiences, with an {@code exp} in the future and any {@code nbf}
 * in the past (within the clock skew). Thread-safe.
 *
 * <pre>{@code
 * JwtVerifier verifier = JwtVerifier.of(new JwtSettings("https://issuer.example", List.of("orders"),
 *     null, publicKeyPem, null, "30s"));
 * JwtVerifier.Result result = verifier.verify(token);
 * }</pre>
 */
public final class JwtVerifier {

  private static final Set<JWSAlgorithm> ASYMMETRIC = new HashSet<>();

  static {
    ASYMMETRIC.addAll(JWSAlgorithm.Family.RSA);
    ASYMMETRIC.addAll(JWSAlgorithm.Family.EC);
  }

  private final DefaultJWTProcessor<SecurityContext> processor;
  private final JWKSource<SecurityContext> keys;

  private JwtVerifier(JwtSettings settings, JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms,
      Clock clock) {
    this(settings, keys, new JWSVerificationKeySelector<>(algorithms, keys), clock);
  }

  private JwtVerifier(JwtSettings settings, JWKSource<SecurityContext> keys, JWSKeySelector<SecurityContext> selector,
      Clock clock) {
    this.keys = keys;
    this.processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(selector);
    Set<String> audiences = settings.audiences().isEmpty() ? null : new HashSet<>(settings.audiences());
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audiences,
        new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("exp"), null) {
      @Override
      protected Date currentTime() {
        return Date.from(clock.instant());
      }
    };
    claims.setMaxClockSkew((int) (settings.clockSkew() == null ? 60
        : DurationText.parse("clock_skew", settings.clockSkew()).toSeconds()));
    processor.setJWTClaimsSetVerifier(claims);
  }

  /** A verifier of {@code settings} (checked), on the system clock. */
  public static JwtVerifier of(JwtSettings settings) {
    return of(settings, Clock.systemUTC());
  }

  /**
   * A verifier of {@code settings} (checked) on {@code clock}. A {@code jwks_uri} is fetched now (and
   * again in the background as its cache ages), so that checks never wait on the network.
   *
   * @throws FieldError naming the field when the keys cannot be read or fetched
   */
  public static JwtVerifier of(JwtSettings settings, Clock clock) {
    if (settings.jwksUri() != null) {
      JWKSource<SecurityContext> remote;
      try {
        remote = JWKSourceBuilder.<SecurityContext>create(URI.create(settings.jwksUri()).toURL())
            .refreshAheadCache(true).build();
        remote.get(new JWKSelector(new JWKMatcher.Builder().build()), null);
      } catch (MalformedURLException | RuntimeException e) {
        throw new FieldError("jwt.jwks_uri", settings.jwksUri(), "a reachable JWK set: " + e.getMessage());
      } catch (com.nimbusds.jose.KeySourceException e) {
        throw new FieldError("jwt.jwks_uri", settings.jwksUri(), "a reachable JWK set: " + e.getMessage());
      }
      return new JwtVerifier(settings, remote, ASYMMETRIC, clock);
    }
    if (settings.publicKeyPem() != null) {
      JWK key;
      java.security.Key publicKey;
      try {
        key = JWK.parseFromPEMEncodedObjects(settings.publicKeyPem());
        publicKey = key instanceof com.nimbusds.jose.jwk.RSAKey rsa ? rsa.toPublicKey()
            : ((com.nimbusds.jose.jwk.ECKey) key).toPublicKey();
      } catch (JOSEException | RuntimeException e) {
        throw new FieldError("jwt.public_key_pem", "(a PEM key)", "an RSA or EC public key in PEM: " + e.getMessage());
      }
      // One key: whatever key id a token names, it is checked with this key (by an algorithm of its type).
      Set<JWSAlgorithm> algorithms = algorithmsOf(List.of(key));
      JWSKeySelector<SecurityContext> selector = (header, context) ->
          algorithms.contains(header.getAlgorithm()) ? List.of(publicKey) : List.of();
      return new JwtVerifier(settings, new ImmutableJWKSet<>(new JWKSet(key)), selector, clock);
    }
    JWKSet set;
    try {
      set = JWKSet.parse(settings.jwks().toString());
    } catch (ParseException e) {
      throw new FieldError("jwt.jwks", "(a JWK set)", "a valid JWK set: " + e.getMessage());
    }
    if (set.getKeys().isEmpty()) {
      throw new FieldError("jwt.jwks", "(no keys)", "at least one key");
    }
    return new JwtVerifier(settings, new ImmutableJWKSet<>(set), algorithmsOf(set.getKeys()), clock);
  }

  /** Checks {@code token}: the claims when it is valid, otherwise why not. Never throws. */
  public Result verify(String token) {
    try {
      return new Result(processor.process(token, null), null);
    } catch (ParseException e) {
      return new Result(null, "malformed token");
    } catch (BadJOSEException | JOSEException e) {
      return new Result(null, reason(e));
    } catch (RuntimeException e) {
      return new Result(null, "unreadable token");
    }
  }

  /** The keys it verifies with (for tests and diagnostics). */
  JWKSource<SecurityContext> keys() {
    return keys;
  }

  private static String reason(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // nimbus's messages are short and name the failed check ("Expired JWT", "JWT audience rejected").
    return message.length() > 200 ? message.substring(0, 200) : message;
  }

  private static Set<JWSAlgorithm> algorithmsOf(List<JWK> keys) {
    Set<JWSAlgorithm> algorithms = new HashSet<>();
    for (JWK key : keys) {
      if (key.getKeyType() == KeyType.RSA) {
        algorithms.addAll(JWSAlgorithm.Family.RSA);
      } else if (key.getKeyType() == KeyType.EC) {
        algorithms.addAll(JWSAlgorithm.Family.EC);
      } else if (key.getKeyType() == KeyType.OCT) {
        algorithms.addAll(JWSAlgorithm.Family.HMAC_SHA);
      }
    }
    return algorithms;
  }

  /**
   * The outcome of a check.
   *
   * @param claims the token's claims when it is valid, else null
   * @param failure why it is not valid, else null
   */
  public record Result(JWTClaimsSet claims, String failure) {

    /** Whether the token is valid. */
    public boolean isValid() {
      return failure == null;
    }
  }
}
