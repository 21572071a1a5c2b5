// Migrations in the order they apply. Add new ones at the end; never edit one that has shipped.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122000000Initial } from './migrations/Migration20261122000000Initial';
import { Migration20261122010000Writes } from './migrations/Migration20261122010000Writes';
import { Migration20261130000000Rollups } from './migrations/Migration20261130000000Rollups';
import { Migration20261201000000ApiKeyLifecycle } from './migrations/Migration20261201000000ApiKeyLifecycle';
import { Migration20261206000000BrowserReference } from './migrations/Migration20261206000000BrowserReference';
import { Migration20261206120000GraphRollups } from './migrations/Migration20261206120000GraphRollups';
import { Migration20261210000000Changes } from './migrations/Migration20261210000000Changes';
import { Migration20261210010000Webhooks } from './migrations/Migration20261210010000Webhooks';
import { Migration20261213000000RateLimits } from './migrations/Migration20261213000000RateLimits';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261122000000Initial', class: Migration20261122000000Initial },
  { name: 'Migration20261122010000Writes', class: Migration20261122010000Writes },
  { name: 'Migration20261130000000Rollups', class: Migration20261130000000Rollups },
  { name: 'Migration20261201000000ApiKeyLifecycle', class: Migration20261201000000ApiKeyLifecycle },
  { name: 'Migration20261206000000BrowserReference', class: Migration20261206000000BrowserReference },
  { name: 'Migration20261206120000GraphRollups', class: Migration20261206120000GraphRollups },
  { name: 'Migration20261210000000Changes', class: Migration20261210000000Changes },
  { name: 'Migration20261210010000Webhooks', class: Migration20261210010000Webhooks },
  { name: 'Migration20261213000000RateLimits', class: Migration20261213000000RateLimits },
];
