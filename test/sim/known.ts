/**
 * Violation kinds the simulation finds today, one line each: a case showing only these passes, so the
 * suite stays green while they are being fixed; any other kind fails the case with its seed. Remove a
 * line once its class is fixed, and the tier holds the fix.
 */
export const KNOWN_VIOLATIONS: Record<string, string> = {};
