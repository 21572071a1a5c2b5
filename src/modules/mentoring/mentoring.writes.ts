// Mentoring writes: a university records its own programmes and sessions; the ministry records any.
import { LockMode, ref } from '@mikro-orm/core';
import { mayNameSessionRegency, mayWriteProgramme, requireRole } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { Dataset, enteredProvenance } from '../../db/fact.entity';
import { writeOnce } from '../../db/idempotency';
import { ForbiddenError } from '../../errors';
import { PROVINCE_CODE, REGENCY_CODE } from '../../graphql/codes';
import { decodeGlobalId } from '../../graphql/global-id';
import { Checks, userErrorFromDatabase, UserErrorCode } from '../../graphql/user-errors';
import { checkDate } from '../../writes/dates';
import { checkSources, checkText, checkTextList, LIST_LIMITS } from '../../writes/text-limits';
import { createAudited } from '../audit/audit.service';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { MentoringProgramme } from './mentoring-programme.entity';
import { MentoringSession } from './mentoring-session.entity';
import type {
  CreateMentoringProgrammeInput,
  MentoringProgrammePayload,
  MentoringSessionPayload,
  RecordMentoringSessionInput,
} from './mentoring.write-inputs';
import { University } from './university.entity';

const WRITERS = [Role.UNIVERSITY, Role.MINISTRY_ADMIN];

function numericId(checks: Checks, field: string, id: string | null | undefined, type: 'University' | 'MentoringProgramme'): number | null {
  if (id == null) return null;
  const decoded = decodeGlobalId(id);
  if (!decoded || decoded.type !== type) {
    checks.fail(field, `"${id.slice(0, 60)}" is not a ${type} id.`);
    return null;
  }
  return Number(decoded.key);
}

export async function createMentoringProgramme(ctx: Context, input: CreateMentoringProgrammeInput, idempotencyKey?: string | null) {
  requireRole(ctx.viewer, WRITERS, 'createMentoringProgramme');
  type Result = Omit<MentoringProgrammePayload, 'replayed'>;
  return writeOnce<Result>(ctx.em, {
    owner: `key:${ctx.viewer.keyId ?? 0}`,
    actor: ctx,
    operation: 'createMentoringProgramme',
    key: idempotencyKey,
    input,
    save: (r) => ({ programmeId: r.programme?.id ?? null, userErrors: r.userErrors }),
    restore: async (stored, em) => ({
      programme: stored.programmeId ? await em.findOneOrFail(MentoringProgramme, stored.programmeId as number) : null,
      userErrors: (stored.userErrors as Result['userErrors']) ?? [],
    }),
    work: async (em) => {
      const checks = new Checks();
      const universityId = numericId(checks, 'input.universityId', input.universityId, 'University') ?? (ctx.viewer.role === Role.UNIVERSITY ? ctx.viewer.universityId : null);
      if (!mayWriteProgramme(ctx.viewer, universityId)) {
        throw new ForbiddenError('A university key records programmes of its own university only.');
      }
      checks.integer('input.year', input.year, 2015, 2100);
      checks.pattern('input.provinceCode', input.provinceCode, PROVINCE_CODE, '"61"');
      checkText(checks, 'input.otherPartner', input.otherPartner, 'otherPartner');
      checkText(checks, 'input.recommendedBy', input.recommendedBy, 'recommendedBy');
      checkTextList(checks, 'input.outputs', input.outputs, 'output', { max: LIST_LIMITS.outputs });
      checkSources(checks, 'input.sources', input.sources);
      checkText(checks, 'input.note', input.note, 'note');
      checkDate(checks, 'input.periodStart', input.periodStart);
      checkDate(checks, 'input.periodEnd', input.periodEnd);
      checkDate(checks, 'input.commitmentSignedOn', input.commitmentSignedOn);
      if (input.periodStart && input.periodEnd && input.periodEnd < input.periodStart) checks.fail('input.periodEnd', 'periodEnd is before periodStart.');
      if (!checks.ok) return { programme: null, userErrors: checks.errors };
      const university = universityId ? await em.findOne(University, universityId) : null;
      if (universityId && !university) checks.fail('input.universityId', 'There is no such university.', UserErrorCode.NOT_FOUND);
      if (!(await em.count(Province, { code: input.provinceCode }))) checks.fail('input.provinceCode', `There is no province ${input.provinceCode}.`, UserErrorCode.NOT_FOUND);
      if (!checks.ok) return { programme: null, userErrors: checks.errors };
      const programme = Object.assign(new MentoringProgramme(), {
        year: input.year,
        province: em.getReference(Province, input.provinceCode, { wrapped: true }),
        university: university ? ref(university) : null,
        otherPartner: input.otherPartner ?? null,
        periodStart: input.periodStart ?? null,
        periodEnd: input.periodEnd ?? null,
        periodPrecision: input.periodStart || input.periodEnd ? 'day' : null,
        commitmentSignedOn: input.commitmentSignedOn ?? null,
        recommendedBy: input.recommendedBy ?? null,
        outputs: input.outputs,
        ...enteredProvenance(input),
      });
      await createAudited(em, ctx, programme, { action: 'mentoringProgramme.create', entityType: 'MentoringProgramme', idempotencyKey });
      return { programme, userErrors: [] };
    },
  }).catch((error: unknown): MentoringProgrammePayload => ({ programme: null, replayed: false, userErrors: [userErrorFromDatabase(error)] }));
}

export async function recordMentoringSession(ctx: Context, input: RecordMentoringSessionInput, idempotencyKey?: string | null) {
  requireRole(ctx.viewer, WRITERS, 'recordMentoringSession');
  type Result = Omit<MentoringSessionPayload, 'replayed'>;
  return writeOnce<Result>(ctx.em, {
    owner: `key:${ctx.viewer.keyId ?? 0}`,
    actor: ctx,
    operation: 'recordMentoringSession',
    key: idempotencyKey,
    input,
    save: (r) => ({ sessionId: r.session?.id ?? null, userErrors: r.userErrors }),
    restore: async (stored, em) => ({
      session: stored.sessionId ? await em.findOneOrFail(MentoringSession, stored.sessionId as number) : null,
      userErrors: (stored.userErrors as Result['userErrors']) ?? [],
    }),
    work: async (em) => {
      const checks = new Checks();
      const programmeId = numericId(checks, 'input.programmeId', input.programmeId, 'MentoringProgramme');
      // Share locked: the university (and province) checked below stay the programme's until the session commits.
      const programme = programmeId ? await em.findOne(MentoringProgramme, programmeId, { lockMode: LockMode.PESSIMISTIC_READ }) : null;
      if (programmeId && !programme) checks.fail('input.programmeId', 'There is no such mentoring programme.', UserErrorCode.NOT_FOUND);
      if (!programme) return { session: null, userErrors: checks.errors };
      if (!mayWriteProgramme(ctx.viewer, programme.university?.id ?? null)) {
        throw new ForbiddenError('A university key records sessions of its own programmes only.');
      }
      checkText(checks, 'input.topic', input.topic, 'topic', { required: true });
      checkDate(checks, 'input.heldOn', input.heldOn);
      checks.integer('input.participantCount', input.participantCount, 0, 100_000);
      checkTextList(checks, 'input.mentorNames', input.mentorNames, 'mentorName', { max: LIST_LIMITS.mentorNames });
      if (input.regencyCodes.length > 100) checks.fail('input.regencyCodes', 'At most 100 regencies.');
      input.regencyCodes.forEach((code, i) => checks.pattern(`input.regencyCodes[${i}]`, code, REGENCY_CODE, '"61.01"'));
      if (input.sources.length) checkSources(checks, 'input.sources', input.sources);
      if (!checks.ok) return { session: null, userErrors: checks.errors };
      const regencies = await em.find(Regency, { code: { $in: input.regencyCodes } });
      const unknown = input.regencyCodes.filter((code) => !regencies.some((r) => r.code === code));
      if (unknown.length) checks.fail('input.regencyCodes', `Unknown regencies: ${unknown.join(', ')}.`, UserErrorCode.NOT_FOUND);
      const province = programme.province.unwrap().code;
      const elsewhere = regencies.filter((r) => !mayNameSessionRegency(ctx.viewer, province, r.code)).map((r) => r.code);
      if (elsewhere.length) {
        checks.fail('input.regencyCodes', `The programme mentors province ${province}; your key may name its regencies only, not ${elsewhere.join(', ')}.`, UserErrorCode.FORBIDDEN);
      }
      if (!checks.ok) return { session: null, userErrors: checks.errors };
      const session = Object.assign(new MentoringSession(), {
        programme: ref(programme),
        heldOn: input.heldOn,
        mode: input.mode,
        topic: input.topic.trim(),
        participantCount: input.participantCount ?? null,
        mentorNames: input.mentorNames,
        dataset: Dataset.IMPORTED,
        sources: input.sources,
      });
      session.regencies.set(regencies);
      await createAudited(em, ctx, session, { action: 'mentoringSession.record', entityType: 'MentoringSession', idempotencyKey });
      return { session, userErrors: [] };
    },
  }).catch((error: unknown): MentoringSessionPayload => ({ session: null, replayed: false, userErrors: [userErrorFromDatabase(error)] }));
}
