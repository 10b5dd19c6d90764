import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The official SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json), vendored beside the tests. */
export const SARIF_SCHEMA_PATH = path.resolve(repoRoot, 'test', 'fixtures', 'sarif-schema-2.1.0.json');

/**
 * A validator for the official SARIF 2.1.0 schema (draft-04), with the string formats it uses
 * checked for real (uri, uri-reference, date-time) rather than ignored.
 */
export function sarifValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/\s/.test(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s) && !Number.isNaN(Date.parse(s)));
  return ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_PATH, 'utf8')));
}
