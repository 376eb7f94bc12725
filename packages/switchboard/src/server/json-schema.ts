/** A JSON Schema document (2020-12 unless it says otherwise in `$schema`). */
export type JsonSchema = Record<string, unknown>;
