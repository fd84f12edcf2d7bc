// Drops the fields whose value is undefined: state stores persist what they are given, and some refuse undefined.

/** A shallow copy of `value` without its undefined fields (a loop: this runs for every item of every feed). */
export function withoutUndefined<T extends object>(value: T): T {
  const result = {} as T;
  for (const key in value) {
    if (Object.hasOwn(value, key) && value[key] !== undefined) result[key] = value[key];
  }
  return result;
}
