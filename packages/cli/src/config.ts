import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv as AjvClass, ErrorObject } from 'ajv';
import { UsageError } from './io.js';

/** Ajv is loaded only when there is a configuration to check: most runs have none, and it is a big load. */
const loadAjv = (): typeof AjvClass => (createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass }).Ajv;

/** The configuration file's content; see schema/ka-codemod.config.schema.json. */
export interface FileConfig {
  lang?: ('c' | 'ts')[];
  include?: string[];
  exclude?: string[];
  idle?: number;
  interval?: number;
  count?: number;
  userTimeout?: number;
  initialDelay?: number;
  onError?: 'project' | 'fail' | 'log' | 'ignore';
  toggle?: 'none' | 'env';
  jobs?: number;
  baseline?: string;
  format?: 'text' | 'json' | 'markdown' | 'html' | 'sarif';
}

export interface LoadedConfig {
  config: FileConfig;
  /** The file it came from, or null when none was found. */
  source: string | null;
}

export const CONFIG_FILE_NAME = 'ka-codemod.config.json';
export const PACKAGE_JSON_KEY = 'ka-codemod';

export function configSchema(): object {
  return JSON.parse(readFileSync(new URL('../schema/ka-codemod.config.schema.json', import.meta.url), 'utf8')) as object;
}

let validator: ReturnType<AjvClass['compile']> | undefined;

function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the configuration' : `"${e.instancePath.slice(1).replaceAll('/', '.')}"`;
  if (e.keyword === 'additionalProperties') return `unknown setting "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Checks a configuration object against the JSON schema; throws a UsageError naming every problem. */
export function validateConfig(value: unknown, source: string): FileConfig {
  validator ??= new (loadAjv())({ allErrors: true, strict: true }).compile(configSchema());
  if (!validator(value)) {
    const problems = (validator.errors ?? []).map(describeError);
    throw new UsageError(`invalid configuration in ${source}: ${problems.join('; ')}`);
  }
  return value as FileConfig;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read configuration ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * `--config FILE` if given; else the nearest ka-codemod.config.json, or package.json with a
 * "ka-codemod" key, from `cwd` up to the repository root (a directory holding .git) or `/`.
 */
export function loadConfig(cwd: string, explicit?: string): LoadedConfig {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`configuration file not found: ${explicit}`);
    const json = readJson(file);
    const inner = path.basename(file) === 'package.json' ? (json as Record<string, unknown>)[PACKAGE_JSON_KEY] ?? {} : json;
    return { config: validateConfig(inner, explicit), source: file };
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const own = path.join(dir, CONFIG_FILE_NAME);
    if (existsSync(own)) return { config: validateConfig(readJson(own), own), source: own };
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = readJson(pkg);
      if (json !== null && typeof json === 'object' && PACKAGE_JSON_KEY in json) {
        return { config: validateConfig((json as Record<string, unknown>)[PACKAGE_JSON_KEY], `${pkg} ("${PACKAGE_JSON_KEY}")`), source: pkg };
      }
    }
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) return { config: {}, source: null };
  }
}
