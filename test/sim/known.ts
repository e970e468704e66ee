/**
 * Violation kinds the simulation finds today, one line each: a case showing only these passes, so the
 * suite stays green while they are being fixed; any other kind fails the case with its seed. Remove a
 * line once its class is fixed, and the tier holds the fix.
 */
export const KNOWN_VIOLATIONS: Record<string, string> = {
  'apply exit 1: leadshift: Salesforce limits call failed (SERVER_UNAVAILABLE':
    'a persistent 503 ends in exit 1 "This is a bug" instead of exit 4 with a resume hint',
  'Bulk overwrote a change made while its job ran, not reported conflict':
    'a change made while a Bulk job ran is overwritten and journalled updated, not conflict',
};
