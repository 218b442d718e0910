/** Theorem 5 at the quick budget: its checks hold and its sentinels are rejected (see properties/theorem-5.ts). */
import { THEOREM5_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(THEOREM5_CLAIM, import.meta.url);
