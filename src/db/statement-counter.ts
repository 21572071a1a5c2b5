// Counts the SQL statements the ORM runs for a request: the request's EntityManager fork carries a counter
// in its logger context (MikroORM passes it to the logger with every statement, forks of the fork too).
import { DefaultLogger, type LogContext } from '@mikro-orm/core';

/** A request's count; a class instance, so MikroORM's merge of logger contexts shares it instead of copying it. */
export class StatementCount {
  value = 0;
}

export class CountingLogger extends DefaultLogger {
  override logQuery(context: { query: string } & LogContext): void {
    const count = (context as { statements?: unknown }).statements;
    if (count instanceof StatementCount) count.value += 1;
    super.logQuery(context);
  }
}
