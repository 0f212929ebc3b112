import { InitialReadModel1763700000000 } from './1763700000000-initial-read-model.migration.js';
import { FlowStatusAndFilters1763800000000 } from './1763800000000-flow-status-and-filters.migration.js';
import { AuditAndRetention1764100000000 } from './1764100000000-audit-and-retention.migration.js';
import { ProjectionRebuilds1764200000000 } from './1764200000000-projection-rebuilds.migration.js';
import { ExecutionStats1764300000000 } from './1764300000000-execution-stats.migration.js';
import { ExecutionDocStorage1764400000000 } from './1764400000000-execution-doc-storage.migration.js';

/** In order of application. */
export const READ_MODEL_MIGRATIONS = [InitialReadModel1763700000000, FlowStatusAndFilters1763800000000, AuditAndRetention1764100000000, ProjectionRebuilds1764200000000, ExecutionStats1764300000000, ExecutionDocStorage1764400000000];
