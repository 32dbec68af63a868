// Public surface of the reports: the CLI and the suites import from here.
export { buildReport } from './build-report.ts';
export { durationToMs } from './key-metrics.ts';
export { SCHEMA_VERSION } from './model.ts';
export type { RunReport, GroupReport, StepReport, CriterionReport, FindingReport, KeyMetrics, Regression } from './model.ts';
export { renderJson } from './json.ts';
export { renderMarkdown } from './markdown.ts';
export { renderJunit } from './junit.ts';
export { renderHtml } from './html.ts';
export { loadSamples } from './samples.ts';
export type { AvailabilitySample, GroupSamples } from './samples.ts';
export { appendHistory, compareWithHistory, historyEntry, readHistory } from './history.ts';
export type { HistoryEntry, CompareOptions } from './history.ts';
export { writeReports, ReportError } from './write.ts';
export type { ReportPaths, WriteOptions } from './write.ts';
export { runFolderName, createRunDir } from './folder.ts';
