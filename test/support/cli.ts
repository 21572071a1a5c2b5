// Runs the compiled `jipp` command (dist/, written by npm test's tsc step) as a process of its own.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const JIPP = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'jipp.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function jipp(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliRun> {
  if (!fs.existsSync(JIPP)) throw new Error(`${JIPP} is missing: run npm test (it compiles first) or npx tsc -p tsconfig.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [JIPP, ...args], { env: { ...process.env, NODE_ENV: 'production', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
