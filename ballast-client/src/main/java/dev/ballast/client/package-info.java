/** A Java client for Ballast's pipeline API. */
package dev.ballast.client;
