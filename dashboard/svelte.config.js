// Svelte compiler options for the dashboard (defaults: runes inferred, CSS emitted to the bundle's .css file).
export default {};
