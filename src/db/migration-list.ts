// Migrations in the order they apply. Add new ones at the end; never edit one that has shipped.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000000Initial } from './migrations/Migration20261122000000Initial';
import { Migration20261122010000Writes } from './migrations/Migration20261122010000Writes';
import { Migration20261130000000Rollups } from './migrations/Migration20261130000000Rollups';
import { Migration20261206000000BrowserReference } from './migrations/Migration20261206000000BrowserReference';
import { Migration20261206120000Spread } from './migrations/Migration20261206120000Spread';
import { Migration20261213000000RateLimits } from './migrations/Migration20261213000000RateLimits';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122000000Initial', class: Migration20261122000000Initial },
  { name: 'Migration20261122010000Writes', class: Migration20261122010000Writes },
  { name: 'Migration20261130000000Rollups', class: Migration20261130000000Rollups },
  { name: 'Migration20261206000000BrowserReference', class: Migration20261206000000BrowserReference },
  { name: 'Migration20261206120000Spread', class: Migration20261206120000Spread },
  { name: 'Migration20261213000000RateLimits', class: Migration20261213000000RateLimits },
];
