package io.meshwork.fleet.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.meshwork.fleet.api.FieldError;
import io.meshwork.fleet.api.JwtSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JWT checks with keys and tokens made here: each way a token can be wrong is refused, with the reason. */
class JwtVerifierTest {

  private static final String ISSUER = "https://issuer.test";
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private static RSAKey rsa;
  private static RSAKey otherRsa;
  private static ECKey ec;
  private static JwtVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("k1").generate();
    otherRsa = new RSAKeyGenerator(2048).keyID("k1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
    verifier = JwtVerifier.of(settings(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()))), CLOCK);
  }

  private static JwtSettings settings(JWKSet keys) throws Exception {
    JsonNode jwks = new ObjectMapper().readTree(keys.toString());
    return new JwtSettings(ISSUER, List.of("orders", "users"), jwks, null, null, "30s").checked();
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().issuer(ISSUER).audience("users").subject("alice")
        .expirationTime(Date.from(NOW.plusSeconds(300))).notBeforeTime(Date.from(NOW.minusSeconds(60)));
  }

  private static String signed(JWTClaimsSet claims, RSAKey key) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  @Test
  void acceptsAValidTokenSignedByAConfiguredRsaOrEcKey() throws Exception {
    JwtVerifier.Result result = verifier.verify(signed(claims().build(), rsa));
    assertThat(result.isValid()).as(result.failure()).isTrue();
    assertThat(result.claims().getSubject()).isEqualTo("alice");
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k2").build(), claims().build());
    jwt.sign(new ECDSASigner(ec));
    assertThat(verifier.verify(jwt.serialize()).isValid()).isTrue();
  }

  @Test
  void refusesAnExpiredToken() throws Exception {
    String token = signed(claims().expirationTime(Date.from(NOW.minusSeconds(31))).build(), rsa);
    assertThat(verifier.verify(token).failure()).containsIgnoringCase("expired");
  }

  @Test
  void acceptsAnExpiryWithinTheClockSkewAndRefusesATokenNotValidYet() throws Exception {
    assertThat(verifier.verify(signed(claims().expirationTime(Date.from(NOW.minusSeconds(20))).build(), rsa))
        .isValid()).isTrue();
    String future = signed(claims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build(), rsa);
    assertThat(verifier.verify(future).failure()).containsIgnoringCase("before");
  }

  @Test
  void refusesATokenWithoutExpiry() throws Exception {
    String token = signed(new JWTClaimsSet.Builder().issuer(ISSUER).audience("users").build(), rsa);
    assertThat(verifier.verify(token).failure()).contains("exp");
  }

  @Test
  void refusesAnotherIssuer() throws Exception {
    String token = signed(claims().issuer("https://evil.test").build(), rsa);
    assertThat(verifier.verify(token).failure()).containsIgnoringCase("iss");
  }

  @Test
  void refusesAnotherAudience() throws Exception {
    String token = signed(claims().audience("billing").build(), rsa);
    assertThat(verifier.verify(token).failure()).containsIgnoringCase("aud");
  }

  @Test
  void refusesABadSignature() throws Exception {
    String token = signed(claims().build(), otherRsa); // same key id, another key
    assertThat(verifier.verify(token).failure()).containsIgnoringCase("signature");
    String[] parts = signed(claims().build(), rsa).split("\\.");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims().subject("mallory").build().toString().getBytes()) + "." + parts[2];
    assertThat(verifier.verify(tampered).isValid()).isFalse();
  }

  @Test
  void refusesAnUnsignedAlgNoneToken() {
    String token = new PlainJWT(claims().build()).serialize();
    assertThat(token).endsWith(".");
    assertThat(verifier.verify(token).isValid()).isFalse();
    assertThat(verifier.verify(token).failure()).containsIgnoringCase("unsecured");
  }

  @Test
  void refusesAnHmacTokenKeyedWithThePublicKey() throws Exception {
    // The classic confusion: HS256 "signed" with the RSA public key's bytes must not pass.
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), claims().build());
    jwt.sign(new MACSigner(rsa.toPublicJWK().toRSAPublicKey().getEncoded()));
    assertThat(verifier.verify(jwt.serialize()).isValid()).isFalse();
  }

  @Test
  void refusesGarbage() {
    assertThat(verifier.verify("not.a.token").isValid()).isFalse();
    assertThat(verifier.verify("").isValid()).isFalse();
  }

  @Test
  void readsOnePublicKeyInPem() throws Exception {
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
        rsa.toRSAPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    JwtVerifier fromPem = JwtVerifier.of(new JwtSettings(ISSUER, List.of(), null, pem, null, null).checked(), CLOCK);
    assertThat(fromPem.verify(signed(claims().audience("anyone").build(), rsa)).isValid()).isTrue();
  }

  @Test
  void namesTheFieldOfKeysThatCannotBeRead() {
    assertThatThrownBy(() -> JwtVerifier.of(new JwtSettings(ISSUER, List.of(), null, "not a key", null, null).checked()))
        .isInstanceOf(FieldError.class).hasMessageContaining("public_key_pem");
    assertThatThrownBy(() -> new JwtSettings(ISSUER, List.of(), null, null, null, null).checked())
        .isInstanceOf(FieldError.class).hasMessageContaining("exactly one of jwks, public_key_pem and jwks_uri");
    assertThatThrownBy(() -> new JwtSettings(ISSUER, List.of(), null, null, "ftp://x", null).checked())
        .isInstanceOf(FieldError.class).hasMessageContaining("jwks_uri");
  }

  @Test
  void clockSkewIsReadFromTheSettings() throws Exception {
    JwtVerifier strict = JwtVerifier.of(new JwtSettings(ISSUER, List.of(), new ObjectMapper().readTree(
        new JWKSet(rsa.toPublicJWK()).toString()), null, null, "1s").checked(), CLOCK);
    String token = signed(claims().expirationTime(Date.from(NOW.minus(Duration.ofSeconds(5)))).build(), rsa);
    assertThat(strict.verify(token).isValid()).isFalse();
    assertThat(verifier.verify(token).isValid()).isTrue();
  }
}
