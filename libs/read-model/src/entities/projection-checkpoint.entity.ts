import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last log position a projection committed, written in the same transaction as its rows. */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn({ name: 'name', type: 'text' })
  name!: string;

  /** numeric(20,0) holds any uint64 (EventStoreDB commit positions); pg returns it as a string. */
  @Column({ name: 'position', type: 'numeric', precision: 20, scale: 0 })
  position!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
