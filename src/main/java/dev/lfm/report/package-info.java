/**
 * The one JSON configuration (Json, NaN as null), CSV tables, charts, console progress.
 * Imports only io and value types of its own (never train or a backend), so that any layer above data can report through it.
 */
package dev.lfm.report;
