/**
 * The Kconfig model of the Xen-relevant Linux options, version by version (rules.yaml),
 * and what is done with it: the effective config `make oldconfig` would keep, the typical
 * Xen config of a kernel described without one, why an option is off, and what a .config
 * lacks for a role and features (requirements.yaml).
 * Reading .config text is the image layer's job: emulator/images/kconfig.ts (parseKconfig).
 */
export { parseExpr, evalExpr, exprToString, symbolsOf, ExprError, type Expr, type Tristate } from './expr.ts';
export {
  kernelOptions,
  kconfigModel,
  kconfigVersion,
  availability,
  PVOPS_TREES,
  type KernelOption,
  type KconfigFact,
  type KconfigModel,
  type KernelTree,
} from './model.ts';
export { effectiveConfig, tristateOf, type DroppedOption, type EffectiveConfig, type SolveOptions } from './effective.ts';
export { defaultXenConfig } from './defaults.ts';
export { explainMissing, type ChainStep, type Explanation } from './explain.ts';
export { checkConfig, knownFeatures, type ConfigCheck, type Finding } from './check.ts';
export { kconfigRules, kconfigRequirements } from './load.ts';
export { typicalXenWants } from './defaults.ts';
