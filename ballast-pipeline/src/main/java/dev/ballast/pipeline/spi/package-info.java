/** Extension points of the pipeline engine: how stages reach model groups. */
package dev.ballast.pipeline.spi;
