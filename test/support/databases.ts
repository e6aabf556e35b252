import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Database } from "../../src/store/database.js";
import { openDatabase } from "../../src/store/database.js";

/** The PostgreSQL server tests may use, or undefined to skip them (with a one-line reason). */
export const POSTGRES_URL = process.env.KEEL_TEST_POSTGRES_URL;
export const POSTGRES_SKIP_REASON = "KEEL_TEST_POSTGRES_URL is not set; PostgreSQL tests skipped";

let templatePath: string | undefined;

/**
 * A migrated SQLite database in a fresh temp file. The template is migrated once per test process and
 * copied, as MLflow's suite does, so each test starts from a clean schema without re-running migrations.
 */
export async function freshSqliteUri(): Promise<{ uri: string; cleanup: () => void }> {
  if (!templatePath) {
    const dir = mkdtempSync(join(tmpdir(), "keel-template-"));
    const path = join(dir, "template.db");
    const db = await openDatabase(`sqlite:///${path}`);
    await db.close();
    templatePath = path;
  }
  const dir = mkdtempSync(join(tmpdir(), "keel-sqlite-"));
  const path = join(dir, "keel.db");
  copyFileSync(templatePath, path);
  return { uri: `sqlite:///${path}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new, empty PostgreSQL database on the test server; dropped by `cleanup`. */
export async function freshPostgresUri(): Promise<{ uri: string; cleanup: () => Promise<void> }> {
  if (!POSTGRES_URL) throw new Error(POSTGRES_SKIP_REASON);
  const name = `keel_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    uri: url.toString(),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface BackendCase {
  readonly name: "sqlite" | "postgresql";
  readonly skip: string | undefined;
  /** Opens a fresh migrated database; `close` also deletes it. */
  open(): Promise<Database & { dispose(): Promise<void> }>;
}

/** The SQL backends every contract suite runs against. */
export const SQL_BACKENDS: readonly BackendCase[] = [
  {
    name: "sqlite",
    skip: undefined,
    async open() {
      const { uri, cleanup } = await freshSqliteUri();
      const db = await openDatabase(uri);
      return { ...db, dispose: async () => { await db.close(); cleanup(); } };
    },
  },
  {
    name: "postgresql",
    skip: POSTGRES_URL ? undefined : POSTGRES_SKIP_REASON,
    async open() {
      const { uri, cleanup } = await freshPostgresUri();
      const db = await openDatabase(uri);
      return { ...db, dispose: async () => { await db.close(); await cleanup(); } };
    },
  },
];
