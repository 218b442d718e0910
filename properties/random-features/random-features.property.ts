/** Random rank-1 features at the quick budget: checks hold, sentinels are rejected (see properties/random-features.ts). */
import { RANDOM_FEATURES_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(RANDOM_FEATURES_CLAIM, import.meta.url);
