import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per execution. The columns serve the queries; `doc` is the whole folded domain
 * `Execution`, from which the projector folds the next events without reading the stream.
 */
@Entity({ name: 'executions' })
@Index('executions_list_idx', ['namespace', 'flowId', 'startDate', 'seq'])
@Index('executions_state_idx', ['state'])
@Index('executions_original_id_idx', ['originalId'])
@Index('executions_parent_id_idx', ['parentId'])
export class ExecutionEntity {
  @PrimaryColumn({ name: 'id', type: 'text' })
  id!: string;

  @Column({ name: 'namespace', type: 'text' })
  namespace!: string;

  @Column({ name: 'flow_id', type: 'text' })
  flowId!: string;

  @Column({ name: 'flow_revision', type: 'int' })
  flowRevision!: number;

  @Column({ name: 'state', type: 'text' })
  state!: string;

  @Column({ name: 'state_history', type: 'jsonb' })
  stateHistory!: unknown;

  @Column({ name: 'inputs', type: 'jsonb' })
  inputs!: unknown;

  @Column({ name: 'outputs', type: 'jsonb', nullable: true })
  outputs!: unknown;

  @Column({ name: 'labels', type: 'jsonb' })
  labels!: unknown;

  @Column({ name: 'trigger', type: 'jsonb', nullable: true })
  trigger!: unknown;

  @Column({ name: 'original_id', type: 'text' })
  originalId!: string;

  @Column({ name: 'parent_id', type: 'text', nullable: true })
  parentId!: string | null;

  @Column({ name: 'start_date', type: 'timestamptz' })
  startDate!: Date;

  @Column({ name: 'end_date', type: 'timestamptz', nullable: true })
  endDate!: Date | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;

  /** Stream revision of the last event folded in: replays at or below it are skipped. */
  @Column({ name: 'revision', type: 'int' })
  revision!: number;

  @Column({ name: 'doc', type: 'jsonb' })
  doc!: unknown;

  /** Insertion order (bigserial): the cursor of the executions list. pg returns it as a string. */
  @Column({ name: 'seq', type: 'bigint', unique: true, generated: 'increment', insert: false, update: false })
  seq!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
