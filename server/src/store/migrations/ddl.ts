import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type RawBuilder } from 'kysely';
import type { StoreEngine } from '../location';

/**
 * The few things a migration must write differently per engine; everything else (tables, keys,
 * plain CHECKs, defaults, indexes) is written once. The SQLite side emits exactly the DDL it did before
 * PostgreSQL support, so files migrated then and files migrated now have the same schema.
 */
export interface Ddl {
  /** Milliseconds since the epoch: SQLite's INTEGER is 64-bit, PostgreSQL's is 32-bit (too small). */
  readonly epochMs: 'integer' | 'bigint';
  /**
   * A text column the store sorts by: byte order on both engines. SQLite compares bytes by default;
   * PostgreSQL would follow the server's locale, which differs between installations.
   */
  sorted(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /**
   * A CHECK that a text column holds JSON (of the given type). PostgreSQL has no json_valid: the cast
   * to json refuses bad JSON by itself (as an invalid-input error rather than a CHECK violation).
   */
  json(column: string, type?: 'array'): RawBuilder<unknown>;
  /** SQLite's STRICT tables refuse values of the wrong type, as PostgreSQL always does. */
  strict<TB extends string, C extends string>(table: CreateTableBuilder<TB, C>): CreateTableBuilder<TB, C>;
}

// Column names are the migrations' own constants, written bare so SQLite's stored DDL stays unchanged.
const sqlite: Ddl = {
  epochMs: 'integer',
  sorted: (column) => column,
  json: (column, type) =>
    type === undefined
      ? sql`json_valid(${sql.raw(column)})`
      : sql`json_valid(${sql.raw(column)}) and json_type(${sql.raw(column)}) = ${sql.lit(type)}`,
  strict: (table) => table.modifyEnd(sql`strict`),
};

const postgres: Ddl = {
  epochMs: 'bigint',
  sorted: (column) => column.modifyFront(sql`collate "C"`),
  json: (column, type) =>
    type === undefined
      ? sql`(${sql.raw(column)}::json) is not null`
      : sql`json_typeof(${sql.raw(column)}::json) = ${sql.lit(type)}`,
  strict: (table) => table,
};

export const DDL: Readonly<Record<StoreEngine, Ddl>> = { sqlite, postgres };
