/** The dimensions experiment claim at the quick budget: its checks hold and its sentinels are rejected (trained models are shared in-process). */
import { DIMENSIONS_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(DIMENSIONS_CLAIM, import.meta.url);
