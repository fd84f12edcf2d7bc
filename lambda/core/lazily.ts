// A value built on its first use, then kept: for what a cold start would pay for and many invocations never need.

/**
 * `build` runs on the first call, not before. For a module, build with a require() inside it: that is what keeps
 * the module unloaded (in a bundle, its code unrun) until then.
 */
export function lazily<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}
