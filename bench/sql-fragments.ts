// SQL pieces the floor's hand-written statements share: Relay ids and cursors, encoded as the API does.

/** base64url(`Type:key`) without padding, as src/graphql/global-id.ts writes it. */
export function globalIdSql(type: string, keySql: string): string {
  return `rtrim(translate(encode(convert_to('${type}:' || ${keySql}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;
}

/** base64url(JSON [name, ...keys]) without padding, as src/graphql/paging.ts writes cursors. */
export function cursorSql(name: string, keysSql: string[]): string {
  const json = `'["${name}",' || ${keysSql.map((k) => `(${k})::text`).join(` || ',' || `)} || ']'`;
  return `rtrim(translate(encode(convert_to(${json}, 'UTF8'), 'base64'), '+/', '-_'), '=')`;
}
