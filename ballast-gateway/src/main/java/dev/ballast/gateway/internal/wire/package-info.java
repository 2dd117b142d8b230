/**
 * The client wire formats: OpenAI and Anthropic request bodies read into the normalized model (a
 * client mistake is an {@link dev.ballast.gateway.internal.wire.ApiError} naming the field), and
 * answers, stream chunks and errors written in each format. Depends on nothing else in the gateway.
 */
package dev.ballast.gateway.internal.wire;
