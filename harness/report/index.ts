// Public surface of the reports: the CLI and the suites import from here.
export { buildReport } from './build-report.ts';
export { durationToMs } from './key-metrics.ts';
export { SCHEMA_VERSION } from './model.ts';
export type { RunReport, GroupReport, StepReport, CriterionReport, FindingReport, KeyMetrics, Regression } from './model.ts';
// Report formats: one `*.format.ts` file each in formats/, found by listing (no list to edit here).
export { defineFormat, textFormat, ReportFormatError } from './renderer.ts';
export type { ReportRenderer, RenderContext, RenderFailure } from './renderer.ts';
export { loadFormats, BUILTIN_FORMATS_DIR } from './format-registry.ts';
export { loadSamples } from './samples.ts';
export type { AvailabilitySample, GroupSamples } from './samples.ts';
export { appendHistory, compareWithHistory, historyEntry, readHistory } from './history.ts';
export type { HistoryEntry, CompareOptions } from './history.ts';
export { writeReports, renderRunReports, ReportError } from './write.ts';
export type { ReportPaths, WriteOptions, WriteResult, RunReportsResult } from './write.ts';
export { runFolderName, createRunDir } from './folder.ts';
