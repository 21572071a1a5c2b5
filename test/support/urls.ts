export const TEMPLATE_DATABASE = 'jipp_test_template';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The maintenance database of the server DATABASE_URL points at, to create test databases from. */
export function adminUrlFrom(url: string): string {
  return withDatabase(url, 'postgres');
}
