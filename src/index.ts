export { build, load, type BuildResult } from './build.js';
export { InputError, diagnostics, type RuleId } from './diagnostics.js';
export type { Article, BuildOptions, Catalog, Job, Language, Shard, StageTimings, StatusCode } from './types.js';
