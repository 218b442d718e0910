/** Fact 1 at the quick budget: its checks hold and its sentinels are rejected (see properties/fact-1.ts). */
import { FACT1_CLAIM } from '../src/claims/fact-1.js';
import { specifyClaim } from './support/claim-spec.js';

specifyClaim(FACT1_CLAIM, import.meta.url);
