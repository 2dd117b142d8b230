package dev.ballast.telemetry.internal;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.List;

/**
 * Supplies {@link JdkHttpSender} to the OTLP exporter through its component loader, so that the
 * exporter uses it whatever other senders the class path holds.
 */
public final class JdkHttpSenderProvider implements HttpSenderProvider {

  @Override
  public HttpSender createSender(HttpSenderConfig config) {
    return new JdkHttpSender(config);
  }

  /** A loader that answers this provider for senders and the class path for everything else. */
  public static ComponentLoader loader() {
    ComponentLoader classPath =
        ComponentLoader.forClassLoader(JdkHttpSenderProvider.class.getClassLoader());
    return new ComponentLoader() {
      @Override
      @SuppressWarnings("unchecked")
      public <T> Iterable<T> load(Class<T> type) {
        if (type == HttpSenderProvider.class) {
          return (Iterable<T>) List.of(new JdkHttpSenderProvider());
        }
        return classPath.load(type);
      }
    };
  }
}
