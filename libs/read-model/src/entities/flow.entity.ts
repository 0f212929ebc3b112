import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The latest revision of every deployed flow. */
@Entity({ name: 'flows' })
export class FlowEntity {
  @PrimaryColumn({ name: 'namespace', type: 'text' })
  namespace!: string;

  @PrimaryColumn({ name: 'id', type: 'text' })
  id!: string;

  @Column({ name: 'revision', type: 'int' })
  revision!: number;

  @Column({ name: 'source', type: 'text' })
  source!: string;

  @Column({ name: 'definition', type: 'jsonb' })
  definition!: unknown;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** FlowDisabled: no new execution starts. */
  @Column({ name: 'disabled', type: 'boolean', default: false })
  disabled!: boolean;

  /** FlowDeleted: out of the list; its revisions stay. */
  @Column({ name: 'deleted', type: 'boolean', default: false })
  deleted!: boolean;
}
