/**
 * Watch: signals derived from the journal, sequential change detectors with a stated false-alarm
 * budget, and alerts that name the last good and first bad run and their diff. Depends on {@code
 * ballast-core} only; the node wires it to the journal writer, the store and the diff engine.
 */
package dev.ballast.watch;
