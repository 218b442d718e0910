/** In-context linear regression (experiments not built yet). */
import { notBuiltClaim } from './types.js';

export const ICL_CLAIM = notBuiltClaim({
  id: 'icl',
  title: 'Fewer, higher-rank heads do better at in-context regression',
  paperRef: 'arXiv 2407.16153, appendix (in-context linear regression, after Garg et al. 2022)',
  statement: 'At a fixed parameter count with H = d/r, transformers with fewer heads of higher rank learn in-context linear regression more accurately.',
  reconstructed: false,
  reason: 'the in-context regression experiment is not built yet',
});
