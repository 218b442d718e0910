/** Theorem 2 at the quick budget: its checks hold and its sentinels are rejected (see properties/theorem-2.ts). */
import { THEOREM2_CLAIM } from '../src/claims/theorem-2.js';
import { specifyClaim } from './support/claim-spec.js';

specifyClaim(THEOREM2_CLAIM, import.meta.url);
