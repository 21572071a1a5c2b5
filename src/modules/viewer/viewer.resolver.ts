import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { personalDataScope } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';

@ObjectType('Viewer', { description: 'Who the caller is: role and scope.' })
export class ViewerInfo {
  @Field(() => Role)
  role!: Role;

  @Field(() => String, { nullable: true, description: 'Label of the API key used; null without a key.' })
  keyLabel!: string | null;

  @Field(() => String, { nullable: true, description: 'Province code a HUB_OPERATOR is bound to.' })
  provinceCode!: string | null;

  @Field(() => Boolean, { description: 'Whether the caller may read any personal data (mentor names): the ministry, and a university for its own programmes.' })
  canReadPersonalData!: boolean;
}

@Resolver()
export class ViewerResolver {
  @Query(() => ViewerInfo, { name: 'viewer', description: 'Who the caller is. Without an API key: PUBLIC.' })
  viewer(@Ctx() ctx: Context): ViewerInfo {
    const { role, keyLabel, provinceCode } = ctx.viewer;
    return { role, keyLabel, provinceCode, canReadPersonalData: personalDataScope(ctx.viewer) !== null };
  }
}
