/** An experiment claim as `rankcheck experiment NAME` runs it: its grid per budget and its overall verdict. */
import type { Template } from '../core/format.js';
import type { Budget, Verdict } from '../core/vocabulary.js';
import type { Setting, SettingResult } from './settings.js';

export interface ExperimentDef {
  claim: string;
  grid(budget: Budget): Setting[];
  verdict(results: SettingResult[], budget: Budget): { verdict: Verdict; summary: Template };
}
