import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { KeelError } from "../core/errors.js";
import type { SqlDialect } from "./dialect.js";
import { postgresDialect, sqliteDialect } from "./dialect.js";
import { migrateToLatest } from "./migrations.js";
import type { KeelDatabase } from "./schema.js";

/** An open, migrated metadata database. */
export interface Database {
  readonly db: Kysely<KeelDatabase>;
  readonly dialect: SqlDialect;
  /** The URI it was opened from, with any password masked. */
  readonly displayUri: string;
  close(): Promise<void>;
}

export type DatabaseLocation =
  | { readonly type: "sqlite"; readonly path: string }
  | { readonly type: "postgresql"; readonly connectionString: string };

/**
 * Reads a backend-store URI the way MLflow does: `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`,
 * `sqlite://:memory:`, `postgresql://user@host:port/db` (also `postgres://` and `postgresql+psycopg2://`).
 */
export function parseDatabaseUri(uri: string): DatabaseLocation {
  const sqlite = /^sqlite:\/\/(.*)$/.exec(uri);
  if (sqlite) {
    const rest = sqlite[1];
    if (rest === ":memory:" || rest === "/:memory:") return { type: "sqlite", path: ":memory:" };
    if (!rest.startsWith("/") || rest.length < 2) {
      throw new KeelError("INVALID_PARAMETER_VALUE", `backend store URI '${uri}' has no file path; use sqlite:///keel.db`);
    }
    return { type: "sqlite", path: rest.slice(1) };
  }
  const postgres = /^postgres(?:ql)?(?:\+\w+)?:\/\/(.*)$/.exec(uri);
  if (postgres) return { type: "postgresql", connectionString: `postgresql://${postgres[1]}` };
  throw new KeelError(
    "INVALID_PARAMETER_VALUE",
    `unsupported backend store URI '${uri}'; use sqlite:///path/to/keel.db or postgresql://user@host:5432/db`,
  );
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Opens the database at `uri`, runs pending migrations, and returns it ready to use. */
export async function openDatabase(uri: string): Promise<Database> {
  const location = parseDatabaseUri(uri);
  const database = location.type === "sqlite" ? openSqlite(location.path) : openPostgres(location.connectionString);
  try {
    await migrateToLatest(database.db, database.dialect);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

function openSqlite(path: string): Database {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const connection = new BetterSqlite3(path);
  connection.pragma("journal_mode = WAL");
  // WAL with synchronous=NORMAL is durable across process crashes; only an OS crash may lose the last commits.
  connection.pragma("synchronous = NORMAL");
  connection.pragma("busy_timeout = 10000");
  connection.pragma("wal_autocheckpoint = 10000");
  // MLflow's LIKE is case-sensitive (ILIKE is the insensitive one); SQLite's LIKE is not unless told.
  connection.pragma("case_sensitive_like = ON");
  // Refreshes the query planner's statistics where tables have changed a lot, as SQLite advises at each open.
  connection.pragma("optimize = 0x10002");
  const dialect = sqliteDialect(new SqliteDialect({ database: connection }));
  const db = new Kysely<KeelDatabase>({ dialect: dialect.kysely });
  return { db, dialect, displayUri: `sqlite:///${path}`, close: () => db.destroy() };
}

function openPostgres(connectionString: string): Database {
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection can die (a server restart, an administrator's kill); pg drops it from the pool and the
  // next query opens a new one. Without a listener the 'error' event would take the whole server down.
  pool.on("error", () => undefined);
  const dialect = postgresDialect(new PostgresDialect({ pool }));
  const db = new Kysely<KeelDatabase>({ dialect: dialect.kysely });
  return { db, dialect, displayUri: connectionString.replace(/:[^:@/]*@/, ":***@"), close: () => db.destroy() };
}
