import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Caller } from "../registry/registry-store.js";
import { ANONYMOUS } from "../registry/registry-store.js";
import { objectSchema } from "./field-schema.js";
import { MLFLOW_ROUTES } from "./mlflow-routes.js";
import type { RequestFields, ServerStores } from "./server-context.js";

/** MLflow serves every REST endpoint under both prefixes; its own UI calls the ajax one. */
export const MLFLOW_API_PREFIXES = ["/api/2.0", "/ajax-api/2.0"] as const;

/**
 * Who is calling, for the registry's audit trail. Keel has no authentication yet, so every caller is
 * anonymous; when it does, the authenticated user's name goes here and nowhere else changes.
 */
function callerOf(_request: FastifyRequest): Caller {
  return ANONYMOUS;
}

/** Registers the MLflow route table under both prefixes, validating each request against its fields. */
export function registerMlflowApi(app: FastifyInstance, stores: ServerStores): void {
  for (const route of MLFLOW_ROUTES) {
    const methods = typeof route.method === "string" ? [route.method] : route.method;
    const schema = objectSchema(route.fields);
    for (const prefix of MLFLOW_API_PREFIXES) {
      for (const method of methods) {
        const inQuery = method === "GET";
        app.route({
          method,
          url: `${prefix}${route.path}`,
          ...(route.bodyLimit !== undefined ? { bodyLimit: route.bodyLimit } : {}),
          schema: inQuery ? { querystring: schema } : { body: schema },
          handler: async (request: FastifyRequest, reply: FastifyReply) => {
            const fields = (inQuery ? request.query : request.body) as RequestFields;
            const result = await route.handler(fields ?? {}, stores, callerOf(request));
            return result instanceof Readable ? reply.type("application/json").send(result) : result;
          },
        });
      }
    }
  }
}
