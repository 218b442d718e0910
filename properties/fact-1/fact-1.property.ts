/** Fact 1 at the quick budget: its checks hold and its sentinels are rejected (see properties.ts). */
import { FACT1_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(FACT1_CLAIM, import.meta.url);
