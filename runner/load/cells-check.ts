import { enumerate } from './enumerate.ts';
import type { LoadContext, ScenarioSource } from './context.ts';
import type { Path, SourceFile } from './source.ts';
import type { Spec } from './model.ts';

/** An empty matrix, or a scenario that applies to no cell, is a mistake worth an error. */
export function checkCells(ctx: LoadContext, spec: Spec, src: SourceFile, sources: ScenarioSource[]): void {
  if (spec.scenarios.length === 0) return;
  const perScenario = new Uint32Array(spec.scenarios.length);
  let total = 0;
  for (const c of enumerate(spec)) {
    perScenario[c.scenario.index]!++;
    total++;
  }
  if (total === 0) {
    const where: Path = spec.include.length ? ['include'] : ['axes'];
    ctx.diags.at(
      src,
      where,
      `the matrix has no cells: ${spec.include.length ? 'no cell matches any `include` rule' : 'no scenario applies to any combination of the axes'}`,
      true,
      'matrix-without-cells',
    );
    return;
  }
  spec.scenarios.forEach((s, i) => {
    if (perScenario[i] === 0) {
      const source = sources[i]!.src;
      ctx.diags.at(
        source,
        source.doc.has('applies') ? ['applies'] : ['id'],
        `scenario ${s.id} applies to no cell of the matrix${spec.include.length ? ' (after the `include` rules)' : ''}: check its \`applies\` and \`ignores\``,
        true,
        'scenario-without-cells',
      );
    }
  });
}
