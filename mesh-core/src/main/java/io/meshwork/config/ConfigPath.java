package io.meshwork.config;

/**
 * A field path in a document, as errors name it: {@code services.user-service.routes[1].weight}. A
 * map key that would read as more than one segment (a dot, a bracket) is quoted:
 * {@code services["users.prod"]}. Immutable; each step makes a new path.
 */
final class ConfigPath {

  static final ConfigPath ROOT = new ConfigPath("");

  private final String text;

  private ConfigPath(String text) {
    this.text = text;
  }

  /** The path of field {@code name} of the object at this path. */
  ConfigPath field(String name) {
    return new ConfigPath(text.isEmpty() ? name : text + "." + name);
  }

  /** The path of entry {@code key} of the map at this path. */
  ConfigPath key(String key) {
    boolean plain = !key.isEmpty() && key.chars().allMatch(c -> c > ' ' && c != '.' && c != '[' && c != ']'
        && c != '"' && c < 127);
    if (plain) {
      return field(key);
    }
    return new ConfigPath(text + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]");
  }

  /** The path of item {@code index} of the list at this path. */
  ConfigPath index(int index) {
    return new ConfigPath(text + "[" + index + "]");
  }

  @Override
  public String toString() {
    return text;
  }
}
