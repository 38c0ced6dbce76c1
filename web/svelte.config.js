// Runes mode everywhere: no legacy reactivity in this code base.
export default {
  compilerOptions: { runes: true },
};
