import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Every revision ever deployed: flows are immutable once deployed. */
@Entity({ name: 'flow_revisions' })
export class FlowRevisionEntity {
  @PrimaryColumn({ name: 'namespace', type: 'text' })
  namespace!: string;

  @PrimaryColumn({ name: 'id', type: 'text' })
  id!: string;

  @PrimaryColumn({ name: 'revision', type: 'int' })
  revision!: number;

  @Column({ name: 'source', type: 'text' })
  source!: string;

  @Column({ name: 'definition', type: 'jsonb' })
  definition!: unknown;

  @Column({ name: 'deployed_at', type: 'timestamptz' })
  deployedAt!: Date;
}
