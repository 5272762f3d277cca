/**
 * Errors every layer may throw for the person at the keyboard. At the bottom of the dependency graph, so that the
 * configuration and the CLIs share them without importing each other.
 */

/** A mistake of the person at the keyboard (or in the configuration): printed as a clear message, exit code 2. */
export class UsageError extends Error {}
