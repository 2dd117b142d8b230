package dev.ballast.calls.internal;

import dev.ballast.calls.Router;
import dev.ballast.calls.UnknownModelException;
import dev.ballast.core.config.GroupConfig;

/**
 * Route: the requested model's group and the deployments to try in order (the group's own, then its
 * fallbacks'), the group's own spread by its {@code strategy} ({@link SpreadLoad}). It comes before
 * the journal, so an unknown model is refused without a run.
 */
public final class ResolveRoute implements CallStep {
  private final Router router;
  private final SpreadLoad spread;

  public ResolveRoute(Router router, SpreadLoad spread) {
    this.router = router;
    this.spread = spread;
  }

  @Override
  public <R> CallAnswer<R> apply(CallExchange<R> call, Rest<R> rest) {
    String model = call.operation().model();
    GroupConfig group = router.group(model).orElseThrow(() -> new UnknownModelException(model));
    call.routed(group, spread.order(group, router.route(group)));
    return rest.proceed(call);
  }
}
