/** Largest absolute difference between two output lists, relative to the reference's largest magnitude. */
export function relativeError(actual: readonly Float32Array[], reference: readonly Float32Array[]): number {
  let scale = 0;
  let worst = 0;
  reference.forEach((ref, o) => {
    const out = actual[o]!;
    for (let i = 0; i < ref.length; i++) {
      scale = Math.max(scale, Math.abs(ref[i]!));
      worst = Math.max(worst, Math.abs(out[i]! - ref[i]!));
    }
  });
  return scale === 0 ? worst : worst / scale;
}
