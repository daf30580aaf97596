import type { Domain } from '../../contracts/domain.ts';
import { Diagnostics, type SourceFile } from './source.ts';
import type { ScenarioFile } from './schema.ts';

/** What the stages of one load share: the domain, the diagnostics, and what already failed. */
export interface LoadContext {
  matrixFile: string;
  domain: Domain;
  diags: Diagnostics;
  /** Files in load order, so the matrix's errors sort before its scenarios'. */
  order: number;
  /** Axes that failed validation: rules naming them are not checked further. */
  brokenAxes: Set<string>;
  /** `axis/id` of profiles that are declared but invalid: already reported, not "missing". */
  invalidProfiles: Set<string>;
}

export function newContext(matrixFile: string, domain: Domain): LoadContext {
  return { matrixFile, domain, diags: new Diagnostics(), order: 0, brokenAxes: new Set(), invalidProfiles: new Set() };
}

/** A scenario file whose shape is valid. */
export interface ScenarioSource {
  src: SourceFile;
  data: ScenarioFile;
}
