/** Theorem 2 at the quick budget: its checks hold and its sentinels are rejected (see properties.ts). */
import { THEOREM2_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(THEOREM2_CLAIM, import.meta.url);
