/**
 * A compact way to declare an endpoint's request fields, compiled to the JSON schema fastify validates with.
 * Body fields are checked strictly (a number is not a string); query-string fields arrive as strings and
 * are coerced. int64 fields also accept numeric strings, as protobuf's JSON mapping allows.
 */
export type FieldType =
  | "string"
  | "int64"
  | "number-or-special"
  | "boolean"
  | "string[]"
  | { readonly enum: readonly string[] }
  | { readonly object: FieldSpec }
  | { readonly objects: FieldSpec };

export type FieldSpec = Readonly<Record<string, FieldType | { readonly type: FieldType; readonly required: true }>>;

export type JsonSchema = Record<string, unknown>;

function fieldSchema(type: FieldType): JsonSchema {
  if (typeof type === "object") {
    if ("enum" in type) return { anyOf: [{ type: "string", enum: type.enum }, { type: "integer" }] };
    if ("object" in type) return objectSchema(type.object);
    return { type: "array", items: objectSchema(type.objects) };
  }
  switch (type) {
    case "string":
      return { type: "string" };
    case "int64":
      return { anyOf: [{ type: "integer" }, { type: "string", pattern: "^-?[0-9]+$" }] };
    case "number-or-special":
      // protobuf JSON writes NaN and the infinities as strings
      return { anyOf: [{ type: "number" }, { type: "string", enum: ["NaN", "Infinity", "-Infinity"] }] };
    case "boolean":
      return { type: "boolean" };
    case "string[]":
      return { type: "array", items: { type: "string" } };
  }
}

export function objectSchema(spec: FieldSpec): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(spec)) {
    const isRequired = typeof field === "object" && "required" in field;
    properties[name] = fieldSchema(isRequired ? field.type : (field as FieldType));
    if (isRequired) required.push(name);
  }
  return { type: "object", properties, ...(required.length > 0 ? { required } : {}) };
}

/** Marks a field as required. */
export function required(type: FieldType): { readonly type: FieldType; readonly required: true } {
  return { type, required: true };
}
