import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

/** Time-ordered ids for everything that is not deterministic. */
export const newId = (): string => uuidv7();

const CHRONICLE_NAMESPACE = '7d3c5f0e-2b8a-5f61-9c1e-6a4b0d2e8f11';

/**
 * Deterministic ids for exactly-once creation: the same parts always give the same id,
 * so a retried request, a redelivered message or a re-fired tick appends with
 * NO_STREAM to a stream that already exists and is rejected instead of duplicated.
 */
export const deterministicId = (...parts: readonly string[]): string => uuidv5(JSON.stringify(parts), CHRONICLE_NAMESPACE);
