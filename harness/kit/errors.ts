export class TargetProfileError extends Error {
  override readonly name = 'TargetProfileError';
}
