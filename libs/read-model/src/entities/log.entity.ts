import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'logs' })
@Index('logs_execution_idx', ['executionId', 'id'])
export class LogEntity {
  /** bigserial: pg returns it as a string. */
  @PrimaryGeneratedColumn('increment', { name: 'id', type: 'bigint' })
  id!: string;

  @Column({ name: 'execution_id', type: 'text' })
  executionId!: string;

  @Column({ name: 'task_run_id', type: 'text', nullable: true })
  taskRunId!: string | null;

  @Column({ name: 'task_id', type: 'text', nullable: true })
  taskId!: string | null;

  @Column({ name: 'level', type: 'text' })
  level!: string;

  @Column({ name: 'message', type: 'text' })
  message!: string;

  @Column({ name: 'timestamp', type: 'timestamptz' })
  timestamp!: Date;
}
