// node(id:) and nodes(ids:): any object by its global id, batched per type.
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { rowsByPrimaryKey } from '../db/read-rows';
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

type EntityClass = abstract new (...args: never[]) => object;

const ENTITY: Record<NodeType, { entity: EntityClass; numeric: boolean }> = {
  Province: { entity: Province, numeric: false },
  Regency: { entity: Regency, numeric: false },
  LegalInstrument: { entity: LegalInstrument, numeric: true },
  Hub: { entity: Hub, numeric: true },
  Institution: { entity: Institution, numeric: true },
  Innovation: { entity: Innovation, numeric: true },
  Award: { entity: Award, numeric: true },
  Replication: { entity: Replication, numeric: true },
  University: { entity: University, numeric: true },
  MentoringProgramme: { entity: MentoringProgramme, numeric: true },
  MentoringSession: { entity: MentoringSession, numeric: true },
};

interface NodeKey {
  entity: EntityClass;
  key: string | number;
}

function nodeKey(id: string, argument: string): NodeKey {
  const decoded = decodeGlobalId(id);
  if (!decoded) throw new BadUserInputError(`"${id.slice(0, 80)}" is not a valid id.`, argument);
  const { entity, numeric } = ENTITY[decoded.type];
  return { entity, key: numeric ? Number(decoded.key) : decoded.key };
}

/** Batched per type: one statement for all the ids of a type asked for in the request. */
function loadNode(ctx: Context, { entity, key }: NodeKey): Promise<object | null> {
  return rowsByPrimaryKey(ctx, entity).load(key);
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist.' })
  node(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<object | null> {
    return loadNode(ctx, nodeKey(id, 'id'));
  }

  @Query(() => [Node], { nullable: 'items', description: `Objects by global ids (at most ${MAX_NODES}), null where missing.` })
  nodes(@Ctx() ctx: Context, @Arg('ids', () => [ID]) ids: string[]): Promise<(object | null)[]> {
    if (ids.length > MAX_NODES) throw new BadUserInputError(`ids takes at most ${MAX_NODES} ids; got ${ids.length}.`, 'ids');
    // Every id is checked before any is loaded: a bad id must not leave lookups running after the error.
    const keys = ids.map((id, i) => nodeKey(id, `ids[${i}]`));
    return Promise.all(keys.map((key) => loadNode(ctx, key)));
  }
}
