import { xenDomain } from './xen-domain.ts';
import { compileSelection, type Selector } from '../runner/expand/select.ts';
import { loadSpec } from '../runner/load/load.ts';
import type { Spec } from '../runner/load/model.ts';

/** Options shared by the commands that read a matrix and pick cells from it. */
export const matrixOption = { matrix: { type: 'string', default: 'matrix.yaml' } } as const;

export const selectionOptions = {
  filter: { type: 'string', multiple: true },
  scenario: { type: 'string', multiple: true },
  grep: { type: 'string' },
  shard: { type: 'string' },
} as const;

export const MATRIX_USAGE = `  --matrix FILE         the matrix file (default: matrix.yaml)`;

export const SELECTION_USAGE = `selection (every option narrows the cells):
  --filter AXIS=V1,V2   cells whose AXIS is one of the values (repeatable; values of one axis
                        are ORed, different axes ANDed); a value may be a condition:
                        >=3.4, <2.6.27, 2.6.23..2.6.29, !dom0
  --scenario NAME       cells of this scenario (repeatable, or a comma list)
  --grep REGEX          cells whose id matches the regular expression
  --shard K/N           the K-th of N shards (split by a stable hash of the cell id)`;

export interface SelectionValues {
  matrix: string;
  filter?: string[];
  scenario?: string[];
  grep?: string;
  shard?: string;
}

/** Loads the matrix with the Xen domain and compiles the selection; both throw user errors. */
export function loadSelection(v: SelectionValues): { spec: Spec; selector: Selector } {
  const spec = loadSpec(v.matrix, xenDomain);
  const selector = compileSelection(spec, { filters: v.filter, scenarios: v.scenario, grep: v.grep, shard: v.shard });
  return { spec, selector };
}

/** Collects output in chunks, so a list of 100,000 cells is not 100,000 writes. */
export class ChunkedWriter {
  private buf = '';
  constructor(private readonly write: (text: string) => void) {}
  line(text: string): void {
    this.buf += `${text}\n`;
    if (this.buf.length > 1 << 16) this.flush();
  }
  flush(): void {
    if (this.buf) this.write(this.buf);
    this.buf = '';
  }
}
