import { readFileSync } from 'node:fs';

interface PackageJson {
  version: string;
}

// Read once at startup: package.json sits one level above both src/ (run from source) and dist/ (built).
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageJson;

export const VERSION: string = packageJson.version;
export const USER_AGENT = `wren/${VERSION}`;
export const FIELD_MANAGER = 'wren';
