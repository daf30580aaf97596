/**
 * What a run records: the facts behind each decision and the console transcript. A
 * mechanism that says no throws a Refusal carrying a sentence a person can act on and the
 * deciding facts; the scenario interpreter turns it into the cell's reason.
 */
import type { Decision, Fact } from './knowledge/index.ts';

export type { Fact };

/**
 * Not an Error on purpose: a refusal is the platform's answer, not a bug, and a cell may
 * end in one thousands of times a second; capturing a stack trace each time would cost more
 * than the rest of the cell.
 */
export class Refusal {
  readonly name = 'Refusal';
  constructor(
    readonly reason: string,
    readonly facts: Fact[],
    /** `skipped`: the combination cannot exist (the kernel cannot be built that way). */
    readonly kind: 'unsupported' | 'skipped' = 'unsupported',
  ) {}

  get message(): string {
    return this.reason;
  }
}

/** "(xen/arch/x86/bzimage.c @ 3.4.0-rc3; commit e2b1ebf4de)" -> the first, shortest citation. */
export function cite(f: Fact): string {
  return f.source.split(';')[0]!.trim();
}

/** "Xen 3.3 cannot load a bzImage dom0" + fact -> the reason sentence. */
export function because(subject: string, ...facts: Fact[]): string {
  return `${subject}: ${facts.map((f) => `${f.text} (${cite(f)})`).join('; ')}`;
}

export class Trace {
  /** Facts recorded since the current step began. */
  facts: Fact[] = [];
  transcript: string[] = [];

  note(f: Fact): void {
    if (!this.facts.includes(f)) this.facts.push(f);
  }

  /** Every decision taken (holding or not), with its fact, for whoever wants the full story. */
  decided: Decision[] = [];

  /**
   * Record a decision and hand back whether the capability holds. A capability that does
   * not hold is a fact behind whatever fails next, so it joins the step's facts.
   */
  decide(d: Decision): boolean {
    this.decided.push(d);
    if (!d.has) this.note(d.fact);
    return d.has;
  }

  /** The backports that held in the decisions taken: what a `works` cell owes to its build. */
  backportsUsed(): Fact[] {
    const facts: Fact[] = [];
    for (const d of this.decided) if (d.backport && d.has && !facts.includes(d.fact)) facts.push(d.fact);
    return facts;
  }

  refuse(subject: string, ...facts: Fact[]): never {
    for (const f of facts) this.note(f);
    throw new Refusal(because(subject, ...facts), [...this.facts]);
  }

  cannotExist(subject: string, ...facts: Fact[]): never {
    for (const f of facts) this.note(f);
    throw new Refusal(because(subject, ...facts), [...this.facts], 'skipped');
  }

  /**
   * Something the model did that a later expectation may trip over (a page leaked, early
   * output dropped, a value parsed in other units): named in the reason if one fails.
   */
  quirks: { reason: string; facts: Fact[] }[] = [];

  quirk(reason: string, ...facts: Fact[]): void {
    this.quirks.push({ reason, facts });
  }

  line(text: string): void {
    this.transcript.push(text);
  }
}
