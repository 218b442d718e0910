/** The figure-1 experiment claim at the quick budget: its checks hold and its sentinels are rejected (trained models are shared in-process). */
import { FIGURE1_CLAIM } from './claim.js';
import { specifyClaim } from '../support/claim-spec.js';

specifyClaim(FIGURE1_CLAIM, import.meta.url);
