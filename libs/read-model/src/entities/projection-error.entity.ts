import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An event a projection could not fold: recorded and skipped so the projection never stalls. */
@Entity({ name: 'projection_errors' })
export class ProjectionErrorEntity {
  @PrimaryColumn({ name: 'projection', type: 'text' })
  projection!: string;

  @PrimaryColumn({ name: 'position', type: 'numeric', precision: 20, scale: 0 })
  position!: string;

  @Column({ name: 'stream_id', type: 'text' })
  streamId!: string;

  @Column({ name: 'revision', type: 'bigint' })
  revision!: string;

  @Column({ name: 'type', type: 'text' })
  type!: string;

  @Column({ name: 'error', type: 'text' })
  error!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
