/** Theorem 3 at the quick budget: its checks hold and its sentinels are rejected (see properties/theorem-3.ts). */
import { THEOREM3_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(THEOREM3_CLAIM, import.meta.url);
