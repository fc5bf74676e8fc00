// The media type of a scenario's evidence attachment (steps/support/evidence.ts
// writes it; the reports find it by this type).
export const EVIDENCE_MEDIA_TYPE = 'application/vnd.bkp.evidence+json';
