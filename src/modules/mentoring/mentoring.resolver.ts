import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { readRows } from '../../db/read-rows';
import { runRead, selectEntity } from '../../db/sql';
import { Connection, PageArgs } from '../../graphql/connection';
import { loadConnection } from '../../graphql/list-loader';
import { loadRef } from '../../graphql/refs';
import { selectedNodeFields } from '../../graphql/selection';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { MentoringProgramme } from './mentoring-programme.entity';
import { MentoringSession } from './mentoring-session.entity';
import { MentoringFilter } from './mentoring.inputs';
import { PROGRAMME_ORDERING, programmeQuery, SESSION_ORDERING, sessionQuery } from './mentoring.queries';
import { programmesByUniversity, regenciesBySession } from './mentoring.loaders';
import { University } from './university.entity';

export const MentoringProgrammeConnection = Connection(MentoringProgramme);
export const MentoringSessionConnection = Connection(MentoringSession);

@Resolver(() => MentoringProgramme)
export class MentoringProgrammeResolver {
  @Query(() => MentoringProgrammeConnection, { description: 'Mentoring programmes, newest year first.' })
  mentoringProgrammes(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => MentoringFilter, { nullable: true }) filter?: MentoringFilter | null,
  ) {
    return loadConnection(
      ctx,
      {
        name: 'mentoringProgrammes',
        entity: MentoringProgramme,
        base: programmeQuery(ctx.em, filter),
        parentColumn: null,
        ordering: PROGRAMME_ORDERING,
        variant: filter ?? {},
        Type: MentoringProgrammeConnection,
        joins: {
          refs: [
            { field: 'province', entity: Province, column: 'm.province_code' },
            { field: 'university', entity: University, column: 'm.university_id' },
          ],
          selected: selectedNodeFields(info),
        },
      },
      null,
      page,
    );
  }

  @FieldResolver(() => Province, { description: 'The hub province mentored.' })
  async province(@Root() programme: MentoringProgramme): Promise<Province> {
    return (await loadRef(programme.province))!;
  }

  @FieldResolver(() => University, { nullable: true, description: 'The partner university; null when not a university or not public.' })
  university(@Root() programme: MentoringProgramme): Promise<University | null> {
    return loadRef(programme.university);
  }

  @FieldResolver(() => MentoringSessionConnection, { description: 'Sessions of the programme, in date order.' })
  sessions(@Root() programme: MentoringProgramme, @Ctx() ctx: Context, @Args() page: PageArgs) {
    return loadConnection(
      ctx,
      {
        name: 'programme.sessions',
        entity: MentoringSession,
        base: sessionQuery(ctx.em),
        parentColumn: 's.programme_id',
        ordering: SESSION_ORDERING,
        variant: {},
        Type: MentoringSessionConnection,
      },
      String(programme.id),
      page,
    );
  }
}

@Resolver(() => MentoringSession)
export class MentoringSessionResolver {
  @FieldResolver(() => MentoringProgramme)
  async programme(@Root() session: MentoringSession): Promise<MentoringProgramme> {
    return (await loadRef(session.programme))!;
  }

  @FieldResolver(() => [Regency], { description: 'Regencies whose teams took part.' })
  regencies(@Root() session: MentoringSession, @Ctx() ctx: Context): Promise<Regency[]> {
    return regenciesBySession(ctx).load(session.id);
  }
}

@Resolver(() => University)
export class UniversityResolver {
  @Query(() => [University], { description: 'Partner universities, by name.' })
  async universities(@Ctx() ctx: Context): Promise<University[]> {
    return readRows(ctx, University, await runRead(ctx.em, selectEntity(ctx.em, University, 'u').orderBy('u.name')));
  }

  @FieldResolver(() => Province)
  async province(@Root() university: University): Promise<Province> {
    return (await loadRef(university.province))!;
  }

  @FieldResolver(() => [MentoringProgramme], { description: 'Programmes the university runs or ran.' })
  programmes(@Root() university: University, @Ctx() ctx: Context): Promise<MentoringProgramme[]> {
    return programmesByUniversity(ctx).load(university.id);
  }
}
