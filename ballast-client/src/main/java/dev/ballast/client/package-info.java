/**
 * A Java client for Ballast's pipeline API: submit runs, read and list them, resume dead ones, and
 * wait for a run to finish.
 *
 * <p>{@link dev.ballast.client.BallastClient} is the entry point. It depends on the JDK's HTTP
 * client and Jackson databind only, so that applications can embed it without pulling in the
 * gateway.
 */
package dev.ballast.client;
