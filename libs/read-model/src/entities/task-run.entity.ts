import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per task run; no foreign key so the projector can write in any order. */
@Entity({ name: 'task_runs' })
@Index('task_runs_execution_idx', ['executionId', 'seq'])
export class TaskRunEntity {
  @PrimaryColumn({ name: 'id', type: 'text' })
  id!: string;

  @Column({ name: 'execution_id', type: 'text' })
  executionId!: string;

  /** Position within the execution's task runs (creation order). */
  @Column({ name: 'seq', type: 'int' })
  seq!: number;

  @Column({ name: 'task_id', type: 'text' })
  taskId!: string;

  @Column({ name: 'parent_task_run_id', type: 'text', nullable: true })
  parentTaskRunId!: string | null;

  @Column({ name: 'value', type: 'text', nullable: true })
  value!: string | null;

  @Column({ name: 'state', type: 'text' })
  state!: string;

  @Column({ name: 'state_history', type: 'jsonb' })
  stateHistory!: unknown;

  @Column({ name: 'attempts', type: 'jsonb' })
  attempts!: unknown;

  @Column({ name: 'outputs', type: 'jsonb', nullable: true })
  outputs!: unknown;

  @Column({ name: 'start_date', type: 'timestamptz', nullable: true })
  startDate!: Date | null;

  @Column({ name: 'end_date', type: 'timestamptz', nullable: true })
  endDate!: Date | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error!: string | null;

  /** The execution revision this row was written at: an older write never overwrites a newer one. */
  @Column({ name: 'revision', type: 'int' })
  revision!: number;
}
