/** The learned-weights experiment claim at the quick budget: its checks hold and its sentinels are rejected (trained models are shared in-process). */
import { LEARNED_WEIGHTS_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(LEARNED_WEIGHTS_CLAIM, import.meta.url);
