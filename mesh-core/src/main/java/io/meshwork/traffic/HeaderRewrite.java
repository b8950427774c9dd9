package io.meshwork.traffic;

import io.meshwork.MeshHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Changes a route makes to headers: fields set (replacing any of the same name), fields added, names
 * removed. Applied in that order: remove, set, add.
 *
 * @param set fields that replace those of the same name
 * @param add fields added beside those already there
 * @param remove names removed
 */
public record HeaderRewrite(MeshHeaders set, MeshHeaders add, List<String> remove) {

  private static final HeaderRewrite NONE = new HeaderRewrite(MeshHeaders.empty(), MeshHeaders.empty(), List.of());

  /** Checks and copies. */
  public HeaderRewrite {
    java.util.Objects.requireNonNull(set, "set");
    java.util.Objects.requireNonNull(add, "add");
    List<String> names = new ArrayList<>();
    for (String name : remove) {
      names.add(MeshHeaders.of(name, "").names().iterator().next()); // checks it is a header name
    }
    remove = List.copyOf(names);
  }

  /** No change. */
  public static HeaderRewrite none() {
    return NONE;
  }

  /** A builder of changes. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether it changes nothing. */
  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }

  /** {@code headers} with these changes made. */
  public MeshHeaders applyTo(MeshHeaders headers) {
    if (isEmpty()) {
      return headers;
    }
    MeshHeaders.Builder changed = headers.toBuilder();
    for (String name : remove) {
      changed.remove(name);
    }
    for (String name : set.names()) {
      changed.remove(name);
    }
    return changed.addAll(set).addAll(add).build();
  }

  /** Builds a {@link HeaderRewrite}; names and values are checked as headers. */
  public static final class Builder {
    private final MeshHeaders.Builder set = MeshHeaders.builder();
    private final MeshHeaders.Builder add = MeshHeaders.builder();
    private final List<String> remove = new ArrayList<>();

    private Builder() {}

    /** Sets a field, replacing any of the same name. */
    public Builder set(String name, String value) {
      set.set(name, value);
      return this;
    }

    /** Adds a field. */
    public Builder add(String name, String value) {
      add.add(name, value);
      return this;
    }

    /** Removes every field of a name. */
    public Builder remove(String name) {
      remove.add(name.toLowerCase(Locale.ROOT));
      return this;
    }

    /** The changes. */
    public HeaderRewrite build() {
      return new HeaderRewrite(set.build(), add.build(), remove);
    }
  }
}
