import type { Kysely, Migration, MigrationProvider } from "kysely";
import { Migrator, sql } from "kysely";
import { KeelError } from "../core/errors.js";
import type { SqlDialect } from "./dialect.js";
import type { KeelDatabase } from "./schema.js";

/**
 * Versioned schema migrations, applied in name order at start-up. Never edit a migration that has shipped;
 * add the next one.
 */
function migrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    "0001_tracking": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("experiments")
          .addColumn("experiment_id", dialect.autoIncrementType, (c) => dialect.autoIncrement(c))
          .addColumn("name", "varchar(500)", (c) => c.notNull().unique())
          .addColumn("artifact_location", "text", (c) => c.notNull())
          .addColumn("lifecycle_stage", "varchar(32)", (c) => c.notNull())
          .addColumn("creation_time", "bigint", (c) => c.notNull())
          .addColumn("last_update_time", "bigint", (c) => c.notNull())
          .execute();
        // Experiment 0, "Default", always exists, as in MLflow: runs created without an experiment land there.
        const now = Date.now();
        await sql`insert into experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
          values (0, 'Default', 'mlflow-artifacts:/0', 'active', ${now}, ${now})`.execute(db);
        await db.schema
          .createTable("experiment_tags")
          .addColumn("experiment_id", "integer", (c) => c.notNull())
          .addColumn("key", "varchar(250)", (c) => c.notNull())
          .addColumn("value", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("experiment_tags_pk", ["experiment_id", "key"])
          .execute();
        await db.schema
          .createTable("runs")
          .addColumn("run_id", "varchar(64)", (c) => c.primaryKey())
          .addColumn("experiment_id", "integer", (c) => c.notNull())
          .addColumn("name", "varchar(250)", (c) => c.notNull())
          .addColumn("user_id", "varchar(256)", (c) => c.notNull())
          .addColumn("status", "varchar(20)", (c) => c.notNull())
          .addColumn("start_time", "bigint", (c) => c.notNull())
          .addColumn("end_time", "bigint")
          .addColumn("lifecycle_stage", "varchar(20)", (c) => c.notNull())
          .addColumn("artifact_uri", "text", (c) => c.notNull())
          .addColumn("deleted_time", "bigint")
          .execute();
        await db.schema
          .createIndex("runs_experiment_start")
          .on("runs")
          .columns(["experiment_id", "lifecycle_stage", "start_time"])
          .execute();
        for (const table of ["params", "tags"]) {
          await db.schema
            .createTable(table)
            .addColumn("run_id", "varchar(64)", (c) => c.notNull())
            .addColumn("key", "varchar(250)", (c) => c.notNull())
            .addColumn("value", "text", (c) => c.notNull())
            .addPrimaryKeyConstraint(`${table}_pk`, ["run_id", "key"])
            .execute();
        }
        // Serve search filters of the form params.k = 'v' and tags.k = 'v' without touching every run.
        await db.schema.createIndex("params_key_value").on("params").columns(["key", "value", "run_id"]).execute();
        await db.schema.createIndex("tags_key_value").on("tags").columns(["key", "value", "run_id"]).execute();
        // Metric histories as packed chunks of points: a few rows per key and batch instead of one per point.
        await db.schema
          .createTable("metric_chunks")
          .addColumn("chunk_id", dialect.autoIncrementType, (c) => dialect.autoIncrement(c))
          .addColumn("run_id", "varchar(64)", (c) => c.notNull())
          .addColumn("key", "varchar(250)", (c) => c.notNull())
          .addColumn("points", "integer", (c) => c.notNull())
          .addColumn("min_step", "bigint", (c) => c.notNull())
          .addColumn("max_step", "bigint", (c) => c.notNull())
          .addColumn("data", dialect.blobType, (c) => c.notNull())
          .execute();
        await db.schema.createIndex("metric_chunks_run_key").on("metric_chunks").columns(["run_id", "key", "chunk_id"]).execute();
        await db.schema
          .createTable("latest_metrics")
          .addColumn("run_id", "varchar(64)", (c) => c.notNull())
          .addColumn("key", "varchar(250)", (c) => c.notNull())
          .addColumn("step", "bigint", (c) => c.notNull())
          .addColumn("timestamp", "bigint", (c) => c.notNull())
          .addColumn("value", "double precision", (c) => c.notNull())
          .addColumn("is_nan", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("latest_metrics_pk", ["run_id", "key"])
          .execute();
        await db.schema
          .createIndex("latest_metrics_key_value")
          .on("latest_metrics")
          .columns(["key", "value", "run_id"])
          .execute();
        await db.schema
          .createTable("datasets")
          .addColumn("dataset_uuid", "varchar(36)", (c) => c.primaryKey())
          .addColumn("experiment_id", "integer", (c) => c.notNull())
          .addColumn("name", "varchar(500)", (c) => c.notNull())
          .addColumn("digest", "varchar(36)", (c) => c.notNull())
          .addColumn("source_type", "varchar(36)", (c) => c.notNull())
          .addColumn("source", "text", (c) => c.notNull())
          .addColumn("schema", "text")
          .addColumn("profile", "text")
          .addUniqueConstraint("datasets_experiment_name_digest", ["experiment_id", "name", "digest"])
          .execute();
        await db.schema
          .createTable("inputs")
          .addColumn("input_uuid", "varchar(36)", (c) => c.primaryKey())
          .addColumn("source_type", "varchar(36)", (c) => c.notNull())
          .addColumn("source_id", "varchar(36)", (c) => c.notNull())
          .addColumn("destination_type", "varchar(36)", (c) => c.notNull())
          .addColumn("destination_id", "varchar(64)", (c) => c.notNull())
          .addUniqueConstraint("inputs_source_destination", [
            "source_type",
            "source_id",
            "destination_type",
            "destination_id",
          ])
          .execute();
        await db.schema
          .createIndex("inputs_destination")
          .on("inputs")
          .columns(["destination_type", "destination_id"])
          .execute();
        await db.schema
          .createTable("input_tags")
          .addColumn("input_uuid", "varchar(36)", (c) => c.notNull())
          .addColumn("key", "varchar(255)", (c) => c.notNull())
          .addColumn("value", "varchar(500)", (c) => c.notNull())
          .addPrimaryKeyConstraint("input_tags_pk", ["input_uuid", "key"])
          .execute();
      },
    },
    "0002_registry": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("registered_models")
          .addColumn("name", "varchar(256)", (c) => c.primaryKey())
          .addColumn("creation_time", "bigint", (c) => c.notNull())
          .addColumn("last_updated_time", "bigint", (c) => c.notNull())
          .addColumn("description", "text")
          .addColumn("user_id", "varchar(256)")
          .addColumn("next_version", "integer", (c) => c.notNull())
          .execute();
        // Default search order is by name; paging by last_updated_time needs its own index.
        await db.schema.createIndex("registered_models_updated").on("registered_models").columns(["last_updated_time", "name"]).execute();
        await db.schema
          .createTable("registered_model_tags")
          .addColumn("name", "varchar(256)", (c) => c.notNull())
          .addColumn("key", "varchar(250)", (c) => c.notNull())
          .addColumn("value", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("registered_model_tags_pk", ["name", "key"])
          .execute();
        await db.schema
          .createTable("model_versions")
          .addColumn("name", "varchar(256)", (c) => c.notNull())
          .addColumn("version", "integer", (c) => c.notNull())
          .addColumn("creation_time", "bigint", (c) => c.notNull())
          .addColumn("last_updated_time", "bigint", (c) => c.notNull())
          .addColumn("description", "text")
          .addColumn("user_id", "varchar(256)")
          .addColumn("current_stage", "varchar(20)", (c) => c.notNull())
          .addColumn("source", "text", (c) => c.notNull())
          .addColumn("storage_location", "text", (c) => c.notNull())
          .addColumn("run_id", "varchar(64)")
          .addColumn("run_link", "text")
          .addColumn("status", "varchar(32)", (c) => c.notNull())
          .addPrimaryKeyConstraint("model_versions_pk", ["name", "version"])
          .execute();
        // get-latest-versions and the latest_versions of a search page: newest version per (model, stage).
        await db.schema.createIndex("model_versions_stage").on("model_versions").columns(["name", "current_stage", "version"]).execute();
        await db.schema.createIndex("model_versions_run").on("model_versions").columns(["run_id"]).execute();
        await db.schema
          .createTable("model_version_tags")
          .addColumn("name", "varchar(256)", (c) => c.notNull())
          .addColumn("version", "integer", (c) => c.notNull())
          .addColumn("key", "varchar(250)", (c) => c.notNull())
          .addColumn("value", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("model_version_tags_pk", ["name", "version", "key"])
          .execute();
        await db.schema
          .createTable("model_aliases")
          .addColumn("name", "varchar(256)", (c) => c.notNull())
          .addColumn("alias", "varchar(256)", (c) => c.notNull())
          .addColumn("version", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("model_aliases_pk", ["name", "alias"])
          .execute();
        await db.schema
          .createTable("registry_audit")
          .addColumn("audit_id", dialect.autoIncrementType, (c) => dialect.autoIncrement(c))
          .addColumn("timestamp", "bigint", (c) => c.notNull())
          .addColumn("actor", "varchar(256)", (c) => c.notNull())
          .addColumn("action", "varchar(64)", (c) => c.notNull())
          .addColumn("name", "varchar(256)", (c) => c.notNull())
          .addColumn("version", "integer")
          .addColumn("target", "varchar(512)")
          .addColumn("from_value", "text")
          .addColumn("to_value", "text")
          .addColumn("reverts", "integer")
          .execute();
        await db.schema.createIndex("registry_audit_name").on("registry_audit").columns(["name", "audit_id"]).execute();
      },
    },
    "0003_monitoring": {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable("monitor_runs")
          .addColumn("run_id", dialect.autoIncrementType, (c) => dialect.autoIncrement(c))
          .addColumn("monitor", "varchar(256)", (c) => c.notNull())
          .addColumn("model", "varchar(256)", (c) => c.notNull())
          .addColumn("started_at", "bigint", (c) => c.notNull())
          .addColumn("finished_at", "bigint", (c) => c.notNull())
          .addColumn("window_start", "bigint", (c) => c.notNull())
          .addColumn("window_end", "bigint", (c) => c.notNull())
          .addColumn("status", "varchar(16)", (c) => c.notNull())
          .addColumn("reasons", "text", (c) => c.notNull())
          .addColumn("rows", "bigint", (c) => c.notNull())
          .addColumn("drift_share", "double precision")
          .addColumn("dataset_drift", "integer")
          .addColumn("result", "text", (c) => c.notNull())
          .addColumn("actions", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("monitor_runs_monitor").on("monitor_runs").columns(["monitor", "run_id"]).execute();
      },
    },
  };
}

/** Brings the schema to the newest version; safe to call from several processes at once. */
export async function migrateToLatest(db: Kysely<KeelDatabase>, dialect: SqlDialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  const migrator = new Migrator({ db, provider, migrationTableName: "keel_migrations", migrationLockTableName: "keel_migrations_lock" });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new KeelError("INTERNAL_ERROR", `database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
