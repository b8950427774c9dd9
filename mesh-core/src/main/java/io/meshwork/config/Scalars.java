package io.meshwork.config;

import io.meshwork.MeshHeaders;
import io.meshwork.policy.StatusSet;
import io.meshwork.registry.ServiceInstance;

/** The scalar codecs {@code mesh.yaml} uses in many places. */
final class Scalars {

  /** A service, subset or namespace name, as the registry accepts it. */
  static final String NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$";
  /** An HTTP header name (an RFC 9110 token). */
  static final String HEADER_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

  static final Codec<String> STRING = new StringCodec("a string", null, false);
  static final Codec<String> TEXT = new StringCodec("a non-empty string", null, true);
  static final Codec<Boolean> BOOLEAN = new BooleanCodec();
  static final Codec<java.time.Duration> DURATION = new DurationCodec(false);
  static final Codec<java.time.Duration> POSITIVE_DURATION = new DurationCodec(true);
  static final Codec<Double> PERCENT = new NumberCodec(0, false, 100);
  static final Codec<Integer> NON_NEGATIVE = new IntegerCodec(0, Integer.MAX_VALUE);
  static final Codec<Integer> POSITIVE = new IntegerCodec(1, Integer.MAX_VALUE);

  /** A name of [A-Za-z0-9._-], as service and subset names are. */
  static final Codec<String> NAME = new StringCodec("a name of letters, digits, '.', '_' and '-'",
      NAME_PATTERN, true).map(name -> ServiceInstance.checkName("name", name), name -> name);

  /** An HTTP header name, kept in lower case as the mesh keeps header names. */
  static final Codec<String> HEADER_NAME = new StringCodec("a header name", HEADER_PATTERN, true)
      .map(Scalars::headerName, name -> name);

  /** Statuses as {@code StatusSet.parse} reads them: {@code "5xx,429"}, {@code "500-504"}. */
  static final Codec<StatusSet> STATUSES = new StringCodec(
      "statuses such as '5xx', '502,503' or '500-504,429'", null, false)
      .map(StatusSet::parse, StatusSet::toString);

  private Scalars() {}

  static String headerName(String name) {
    return MeshHeaders.of(name, "").names().iterator().next();
  }
}
