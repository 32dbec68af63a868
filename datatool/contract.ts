// The data tool's published contract: what a caller of `drill-data` may rely on. The mapping it reads
// (request side: a target profile's `mapping`) and the JSON result line each command prints. The
// harness imports this file only, never datatool/src/*: the tool's internals may change freely as
// long as this stays true (dependency-cruiser's data-tool-contract-only rule checks it).
export { MappingSchema, normalizeMapping, type Mapping, type MappingInput, type TableMapping } from './src/mapping.ts';
export {
  BackupResultSchema,
  ChecksumResultSchema as DataChecksumResultSchema,
  CopyResultSchema,
  SalvageResultSchema,
  type BackupResult,
  type ChecksumResult as DataChecksumResult,
  type CopyResult,
  type SalvageResult,
  type TableCopy,
} from './src/result.ts';
