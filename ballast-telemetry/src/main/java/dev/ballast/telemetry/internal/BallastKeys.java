package dev.ballast.telemetry.internal;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * Attribute and event names for what the semantic conventions lack: the run, its pins, tenants,
 * deployments, cost, breakers, retry decisions and pipeline stages. All live under {@code
 * ballast.}.
 */
public final class BallastKeys {
  private BallastKeys() {}

  public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("ballast.run.id");
  public static final AttributeKey<String> RUN_KIND = AttributeKey.stringKey("ballast.run.kind");
  public static final AttributeKey<String> RUN_STATUS =
      AttributeKey.stringKey("ballast.run.status");
  public static final AttributeKey<Boolean> RUN_RESUMED =
      AttributeKey.booleanKey("ballast.run.resumed");
  public static final AttributeKey<Long> RUN_ATTEMPTS =
      AttributeKey.longKey("ballast.run.attempts");
  public static final AttributeKey<Boolean> RUN_TRUNCATED =
      AttributeKey.booleanKey("ballast.run.truncated");
  public static final AttributeKey<String> TENANT = AttributeKey.stringKey("ballast.tenant");
  public static final AttributeKey<String> API = AttributeKey.stringKey("ballast.api");

  public static final AttributeKey<String> CONFIG_VERSION =
      AttributeKey.stringKey("ballast.config.version");
  public static final AttributeKey<String> PIPELINE_VERSION =
      AttributeKey.stringKey("ballast.pipeline.version");
  public static final AttributeKey<String> ROUTE_GROUP =
      AttributeKey.stringKey("ballast.route.group");
  public static final AttributeKey<List<String>> ROUTE =
      AttributeKey.stringArrayKey("ballast.route.deployments");

  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("ballast.attempt");
  public static final AttributeKey<String> DEPLOYMENT =
      AttributeKey.stringKey("ballast.deployment");
  public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("ballast.provider");
  public static final AttributeKey<Double> COST_USD = AttributeKey.doubleKey("ballast.cost_usd");
  public static final AttributeKey<String> BREAKER_STATE =
      AttributeKey.stringKey("ballast.breaker.state");
  public static final AttributeKey<String> DECISION = AttributeKey.stringKey("ballast.decision");
  public static final AttributeKey<List<String>> REPAIRS =
      AttributeKey.stringArrayKey("ballast.repairs");
  public static final AttributeKey<Boolean> USAGE_ESTIMATED =
      AttributeKey.booleanKey("ballast.usage.estimated");
  public static final AttributeKey<String> SYSTEM_FINGERPRINT =
      AttributeKey.stringKey("ballast.response.system_fingerprint");

  public static final AttributeKey<String> STAGE_NAME =
      AttributeKey.stringKey("ballast.stage.name");
  public static final AttributeKey<Long> STAGE_INDEX = AttributeKey.longKey("ballast.stage.index");
  public static final AttributeKey<Long> STAGE_ATTEMPT =
      AttributeKey.longKey("ballast.stage.attempt");
  public static final AttributeKey<String> STAGE_WORKER =
      AttributeKey.stringKey("ballast.stage.worker");
  public static final AttributeKey<Long> STAGE_FENCE = AttributeKey.longKey("ballast.stage.fence");
  public static final AttributeKey<String> STAGE_OUTCOME =
      AttributeKey.stringKey("ballast.stage.outcome");
  public static final AttributeKey<Double> STAGE_QUEUE_WAIT_MS =
      AttributeKey.doubleKey("ballast.stage.queue_wait_ms");
  public static final AttributeKey<String> STAGE_RETRY_AT =
      AttributeKey.stringKey("ballast.stage.retry_at");
  public static final AttributeKey<String> STAGE_DEPENDENCY =
      AttributeKey.stringKey("ballast.stage.dependency");

  public static final AttributeKey<String> EFFECT_KEY =
      AttributeKey.stringKey("ballast.effect.key");
  public static final AttributeKey<String> EFFECT_TARGET =
      AttributeKey.stringKey("ballast.effect.target");
  public static final AttributeKey<Boolean> EFFECT_FIRST_RECORD =
      AttributeKey.booleanKey("ballast.effect.first_record");
  public static final AttributeKey<Long> RETRIEVAL_GENERATION =
      AttributeKey.longKey("ballast.retrieval.generation");
  public static final AttributeKey<Long> RETRIEVAL_INDEX_GENERATION =
      AttributeKey.longKey("ballast.retrieval.index_generation");
  public static final AttributeKey<String> RETRIEVAL_MODE =
      AttributeKey.stringKey("ballast.retrieval.mode");
  public static final AttributeKey<java.util.List<String>> RETRIEVAL_CHUNK_IDS =
      AttributeKey.stringArrayKey("ballast.retrieval.chunk_ids");
  public static final AttributeKey<String> BREAKER_FROM =
      AttributeKey.stringKey("ballast.breaker.from");
  public static final AttributeKey<String> BREAKER_TO =
      AttributeKey.stringKey("ballast.breaker.to");

  /** Content, set only when content capture is on; never part of the GenAI message schema. */
  public static final AttributeKey<String> CONTENT_INPUT =
      AttributeKey.stringKey("ballast.content.input");

  public static final AttributeKey<String> CONTENT_OUTPUT =
      AttributeKey.stringKey("ballast.content.output");

  public static final String EVENT_BREAKER_TRANSITION = "ballast.breaker.transition";
  public static final String EVENT_EFFECT_RECORDED = "ballast.effect.recorded";
}
