/** The figure-n experiment claim at the quick budget: its checks hold and its sentinels are rejected (trained models are shared in-process). */
import { FIGURE_N_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(FIGURE_N_CLAIM, import.meta.url);
