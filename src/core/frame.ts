/**
 * The columnar table every hot path in Keel passes around: one typed array per numeric column, never an array
 * of row objects. Missing numbers are NaN; missing strings are null.
 */
export type Column =
  | { readonly kind: "number"; readonly name: string; readonly values: Float64Array }
  | { readonly kind: "string"; readonly name: string; readonly values: readonly (string | null)[] };

export interface Frame {
  readonly columns: readonly Column[];
  readonly rowCount: number;
}
