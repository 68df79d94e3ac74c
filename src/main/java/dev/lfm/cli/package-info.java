/**
 * The picocli commands and one option mixin per concern (data, training, backend, output), reused by every command; nothing imports cli.
 * May import every other package.
 */
package dev.lfm.cli;
