/** An experiment as `rankcheck experiment NAME` runs it: its grid per budget and its overall verdict. */
import type { Template } from '../core/format.js';
import type { Budget, Verdict } from '../core/vocabulary.js';
import type { Setting, SettingResult } from './settings.js';

export interface ExperimentDef {
  /** The claim whose checks the experiment's verdict is. */
  claim: string;
  /** Its name on the command line when it is not the claim's own grid (default: the claim id), and what it is then. */
  name?: string;
  about?: string;
  grid(budget: Budget): Setting[];
  verdict(results: SettingResult[], budget: Budget): { verdict: Verdict; summary: Template };
}

/** The name `rankcheck experiment` knows `e` by. */
export const experimentName = (e: ExperimentDef): string => e.name ?? e.claim;
