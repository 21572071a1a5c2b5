// node(id:) and nodes(ids:): any object by its global id, batched per type.
import type { EntityName } from '@mikro-orm/core';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { defineLoader, type Context } from '../context';
import { BadUserInputError } from '../errors';
import { Hub } from '../modules/hub/hub.entity';
import { Award } from '../modules/innovation/award.entity';
import { Innovation } from '../modules/innovation/innovation.entity';
import { Institution } from '../modules/institution/institution.entity';
import { LegalInstrument } from '../modules/legal/legal-instrument.entity';
import { MentoringProgramme } from '../modules/mentoring/mentoring-programme.entity';
import { MentoringSession } from '../modules/mentoring/mentoring-session.entity';
import { University } from '../modules/mentoring/university.entity';
import { Province } from '../modules/region/province.entity';
import { Regency } from '../modules/region/regency.entity';
import { Replication } from '../modules/replication/replication.entity';
import { decodeGlobalId, type NodeType } from './global-id';
import { Node } from './node';

export const MAX_NODES = 100;

const ENTITY: Record<NodeType, { entity: EntityName<object>; pk: string; numeric: boolean }> = {
  Province: { entity: Province, pk: 'code', numeric: false },
  Regency: { entity: Regency, pk: 'code', numeric: false },
  LegalInstrument: { entity: LegalInstrument, pk: 'id', numeric: true },
  Hub: { entity: Hub, pk: 'id', numeric: true },
  Institution: { entity: Institution, pk: 'id', numeric: true },
  Innovation: { entity: Innovation, pk: 'id', numeric: true },
  Award: { entity: Award, pk: 'id', numeric: true },
  Replication: { entity: Replication, pk: 'id', numeric: true },
  University: { entity: University, pk: 'id', numeric: true },
  MentoringProgramme: { entity: MentoringProgramme, pk: 'id', numeric: true },
  MentoringSession: { entity: MentoringSession, pk: 'id', numeric: true },
};

const nodeByKey = defineLoader<string, object | null>('node.byKey', async (ctx, keys) => {
  const byType = new Map<NodeType, string[]>();
  for (const key of keys) {
    const [type, value] = key.split('|') as [NodeType, string];
    byType.set(type, [...(byType.get(type) ?? []), value]);
  }
  const found = new Map<string, object>();
  await Promise.all(
    [...byType].map(async ([type, values]) => {
      const { entity, pk, numeric } = ENTITY[type];
      const rows = await ctx.em.find(entity, { [pk]: { $in: numeric ? values.map(Number) : values } } as never);
      for (const row of rows) found.set(`${type}|${String((row as Record<string, unknown>)[pk])}`, row);
    }),
  );
  return keys.map((key) => found.get(key) ?? null);
});

function nodeKey(id: string, argument: string): string {
  const decoded = decodeGlobalId(id);
  if (!decoded) throw new BadUserInputError(`"${id.slice(0, 80)}" is not a valid id.`, argument);
  return `${decoded.type}|${decoded.key}`;
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist.' })
  node(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<object | null> {
    return nodeByKey(ctx).load(nodeKey(id, 'id'));
  }

  @Query(() => [Node], { nullable: 'items', description: `Objects by global ids (at most ${MAX_NODES}), null where missing.` })
  nodes(@Ctx() ctx: Context, @Arg('ids', () => [ID]) ids: string[]): Promise<(object | null)[]> {
    if (ids.length > MAX_NODES) throw new BadUserInputError(`ids takes at most ${MAX_NODES} ids; got ${ids.length}.`, 'ids');
    // Every id is checked before any is loaded: a bad id must not leave lookups running after the error.
    const keys = ids.map((id, i) => nodeKey(id, `ids[${i}]`));
    return Promise.all(keys.map((key) => nodeByKey(ctx).load(key)));
  }
}
