/** The model variants the search trains (all inside the class Theorem 2's bound covers). */
export type Variant = 'plain' | 'bias' | 'positional';
export const VARIANTS: readonly Variant[] = ['plain', 'bias', 'positional'];
