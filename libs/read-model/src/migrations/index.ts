import { InitialReadModel1763700000000 } from './1763700000000-initial-read-model.migration.js';

/** In order of application. */
export const READ_MODEL_MIGRATIONS = [InitialReadModel1763700000000];
