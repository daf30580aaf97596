/** One measured figure. Benches return rows; bench/run.ts prints them and can put them in the README. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export type Bench = () => Promise<BenchRow[]>;
