package io.meshwork;

import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.simple.SimpleServiceProvider;
import org.slf4j.spi.MDCAdapter;

/**
 * slf4j-simple with SLF4J's own thread-local MDC (slf4j-simple alone keeps no MDC), chosen by the
 * {@code slf4j.provider} property of this module's tests, so they see the MDC a real backend
 * (Logback, Log4j) would.
 */
public final class SimpleProviderWithMdc extends SimpleServiceProvider {

  private final MDCAdapter mdc = new BasicMDCAdapter();

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }
}
