import { TargetProfileSchema, type TargetProfile, type TargetProfileInput } from '../model/target-profile.ts';
import { TargetProfileError } from '../kit/errors.ts';

/** `export default defineTarget({...})`: checked now, one line naming every bad field. */
export function defineTarget(input: TargetProfileInput): TargetProfile {
  const r = TargetProfileSchema.safeParse(input);
  if (!r.success) {
    const name = typeof input?.name === 'string' ? `target ${input.name}` : 'target';
    throw new TargetProfileError(`${name}: ${r.error.issues.map((i) => `${i.path.join('.') || '(profile)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}
