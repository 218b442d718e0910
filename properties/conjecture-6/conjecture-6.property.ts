/** Conjecture 6 at the quick budget: its checks hold and its sentinels are rejected (see claim.ts). */
import { CONJECTURE6_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(CONJECTURE6_CLAIM, import.meta.url);
