// Mentoring: programmes (paged) with their sessions, and partner universities with their programmes.
import { Arg, Args, FieldResolver, Query, Resolver } from 'type-graphql';
import { sql } from '../../db/sql';
import { Connection, PageArgs } from '../../graphql/connection';
import { jsonArray, list } from '../../graphql/sql/compilers';
import { connection } from '../../graphql/sql/connection';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { MentoringProgramme } from './mentoring-programme.entity';
import { MentoringSession } from './mentoring-session.entity';
import { MentoringFilter } from './mentoring.inputs';
import { programmeList, sessionList } from './mentoring.queries';
import { University } from './university.entity';

export const MentoringProgrammeConnection = Connection(MentoringProgramme);
export const MentoringSessionConnection = Connection(MentoringSession);

@Resolver(() => MentoringProgramme)
export class MentoringProgrammeResolver {
  @Query(() => MentoringProgrammeConnection, { description: 'Mentoring programmes, newest year first.' })
  @Sql(connection((call) => programmeList(call.args.filter as MentoringFilter | null)))
  mentoringProgrammes(@Args() _page: PageArgs, @Arg('filter', () => MentoringFilter, { nullable: true }) _filter: MentoringFilter | null, @Answer() answer: unknown): unknown {
    return answer;
  }

  @FieldResolver(() => MentoringSessionConnection, { description: 'Sessions of the programme, in date order.' })
  @Sql(connection((_call, row) => sessionList(row)))
  sessions(@Args() _page: PageArgs, @Answer() answer: unknown): unknown {
    return answer;
  }
}

@Resolver(() => University)
export class UniversityResolver {
  @Query(() => [University], { description: 'Partner universities, by name.' })
  @Sql(
    (call, _row, q) => {
      const u = q.alias();
      return jsonArray(q, call, u, sql`university ${u}`, sql`${u}.name`);
    },
    { listSize: 20 },
  )
  universities(@Answer() answer: University[]): University[] {
    return answer;
  }

  @FieldResolver(() => [MentoringProgramme], { description: 'Programmes the university runs or ran.' })
  @Sql(list('university_id', 'id', ['year', 'id']), { listSize: 10 })
  programmes(@Answer() answer: MentoringProgramme[]): MentoringProgramme[] {
    return answer;
  }
}
