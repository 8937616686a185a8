// Types of contentengine-runtime. The shapes are those of graph.json (docs/package-format.md section 4),
// the patient's state (section 14) and the status of ContentEngine.Runtime's ProgramGraph.Evaluate (section 13).

/** A text per locale, such as {"sv": "…", "en": "…"}. */
export type LocalizedText = Record<string, string>;

/** A condition tree as graph.json holds it (offerWhen.tree): {"node": "binary", "op": ">=", …}. */
export type ConditionTree = { node: string; [key: string]: unknown };

export interface Phase {
  id: string;
  weeks: number;
  firstWeek: number;
  pauseBefore: number;
  choose?: { min: number; max?: number };
  [key: string]: unknown;
}

export interface Module {
  id: string;
  phase: string;
  week: number;
  programWeek: number;
  optional: boolean;
  requires: string[];
  offerWhen?: { source: string; tree: ConditionTree };
  offerReason?: LocalizedText;
  title?: LocalizedText;
  [key: string]: unknown;
}

/** graph.json, parsed. */
export interface Graph {
  graphFormat: number;
  id: string;
  version: string;
  locales: string[];
  release: 'weekly' | 'all';
  phases: Phase[];
  modules: Module[];
  [key: string]: unknown;
}

/** The answers of one worksheet: a form's object of field id to value, or a diary's entries (each may hold `_date`). */
export type WorksheetAnswers = Record<string, unknown> | Array<Record<string, unknown>>;

/** Where a patient is, as PatientProgress.FromJson reads it; every key may be left out. */
export interface Progress {
  /** Day 1 of week 1, "yyyy-mm-dd". */
  start?: string;
  /** Today, "yyyy-mm-dd"; the current UTC date when left out. */
  today?: string;
  /** The current week; when given it wins over the dates (below 1 is read as 1). */
  week?: number;
  /** A week from 0 as a stored state holds it (0 is before the start); wins over `week`. */
  fixedWeek?: number;
  completed?: string[];
  chosen?: string[];
  answers?: Record<string, WorksheetAnswers>;
}

/** The state a condition is evaluated in. */
export interface ConditionState {
  week?: number;
  completed?: string[];
  chosen?: string[];
  answers?: Record<string, WorksheetAnswers>;
}

export type ModuleState = 'locked' | 'open' | 'completed' | 'offered';
export type LockKind = 'programNotStarted' | 'notYetReleased' | 'requiresModules' | 'choiceLimitReached';

/** Why a module is locked; `message` says it in English for logs and tools (the runtime's LockReason.Message). */
export interface LockReason {
  kind: LockKind;
  /** The week it opens in (programNotStarted, notYetReleased). */
  week: number | null;
  /** The date it opens on, where a start date is known. */
  date: string | null;
  /** The modules it waits for (requiresModules). */
  modules: string[];
  message: string;
}

export interface ModuleStatus {
  id: string;
  state: ModuleState;
  reasons: LockReason[];
  chosen: boolean;
  recommended: boolean;
  /** The module's offerReason when it is recommended. */
  recommendationReason: LocalizedText | null;
  /** The date of its release week while that week has not come. */
  opensOn: string | null;
}

export interface PhaseChoice {
  phase: string;
  chosen: number;
  min: number;
  max: number | null;
  /** How many more may be chosen; null without a maximum. */
  remaining: number | null;
  stillRequired: number;
}

export interface NextRelease {
  week: number;
  date: string | null;
  modules: string[];
}

/** What a patient may see (the runtime's ProgramStatus). */
export interface ProgramStatus {
  week: number;
  /** The start date, where known. */
  start: string | null;
  /** The current phase's id; null in a pause, before the start and after the end. */
  phase: string | null;
  modules: ModuleStatus[];
  choices: PhaseChoice[];
  next: NextRelease | null;
  /** Ids of the modules in each state; `recommended`: the recommended modules the patient may choose now. */
  open: string[];
  locked: string[];
  offered: string[];
  recommended: string[];
}

export class GraphError extends Error {}

export class Program {
  constructor(graph: Graph);
  readonly graph: Graph;
  readonly id: string;
  readonly version: string;
  readonly locales: string[];
  readonly defaultLocale: string;
  readonly release: 'weekly' | 'all';
  readonly phases: Phase[];
  readonly modules: Module[];
  readonly totalWeeks: number;
  module(id: string): Module | null;
  /** What a patient in `progress` may see (ProgramGraph.Evaluate(PatientProgress)). */
  evaluate(progress?: Progress): ProgramStatus;
  /**
   * What the patient of a stored state may see at `now` (ProgramGraph.Evaluate(PatientRecord, now)).
   * Throws PatientStateError when the state is not valid or is another program's.
   */
  evaluateState(state: PatientRecord | string | object, now?: Date): ProgramStatus;
}

/** A program from graph.json (its text, bytes or parsed object); throws GraphError. */
export function programFromGraph(graph: string | Uint8Array | Graph): Program;

export type PackageErrorCode =
  | 'notAPackage' | 'missingManifest' | 'invalidManifest' | 'unsupportedFormat' | 'missingFile'
  | 'extraFile' | 'hashMismatch' | 'invalidGraph' | 'tooLarge' | 'unsigned' | 'badSignature' | 'untrustedSigner';

export class PackageError extends Error {
  readonly code: PackageErrorCode;
  /** The file inside the package the problem concerns, if one. */
  readonly path: string | null;
}

export interface PackageFile { path: string; size: number; sha256: string }

export interface PackageManifest {
  packageFormat: number;
  programId: string;
  programVersion: string;
  locales: string[];
  graphFormat: number;
  generator: string;
  created: string | null;
  bundles: string[];
  files: PackageFile[];
}

/** Who signed a package: checked against manifest.json; `trusted` when the key is among the trusted publishers. */
export interface PackageSignature {
  readonly signer: string;
  /** SHA-256 of the public key, 64 lowercase hex digits, as `contentengine inspect` prints it. */
  readonly fingerprint: string;
  readonly algorithm: 'ecdsa-p256-sha256';
  readonly trusted: boolean;
}

export interface OpenOptions {
  /**
   * Fingerprints of the publishers' keys to trust: an unsigned package is refused (`unsigned`), and so is one
   * signed by another key (`untrustedSigner`). A signature that does not match is refused (`badSignature`) always.
   */
  trustedPublishers?: readonly string[];
}

export interface ProgramPackage {
  readonly manifest: PackageManifest;
  readonly program: Program;
  /** Who signed it, or null when it is not signed. */
  readonly signature: PackageSignature | null;
  /** Every file's path, sorted, manifest.json (and signature.json when signed) included. */
  readonly paths: readonly string[];
  contains(path: string): boolean;
  /** A file's bytes, verified against its size and SHA-256 when first read; throws PackageError. */
  readFile(path: string): Uint8Array;
  readText(path: string): string;
  /** Reads and verifies every file now. */
  verifyAll(): void;
}

/** The runtime's limits against zip bombs (ProgramPackage.Max…). */
export const limits: Readonly<{
  maxUncompressedBytes: number;
  maxFileBytes: number;
  maxManifestBytes: number;
  maxEntries: number;
  maxExpansion: number;
  minExpansionBytes: number;
}>;

/** Opens a package from its bytes, verifying manifest.json and graph.json; throws PackageError. */
export function openPackage(data: Uint8Array | ArrayBuffer, options?: OpenOptions): ProgramPackage;

/** Opens a package file. */
export function readPackage(path: string, options?: OpenOptions): Promise<ProgramPackage>;

export type PatientStateErrorCode = 'notAPatientState' | 'newerFormat' | 'otherProgram' | 'unknownTimeZone' | 'invalid';

export class PatientStateError extends Error {
  readonly code: PatientStateErrorCode;
}

/** A stored patient state, read whole. */
export class PatientRecord {
  readonly program: string;
  readonly programVersion: string | null;
  readonly timeZone: string | null;
  readonly start: string | null;
  readonly week: number | null;
  readonly completed: string[];
  readonly chosen: string[];
  readonly answers: Record<string, WorksheetAnswers>;
  readonly keptAside: Record<string, WorksheetAnswers>;
  /** When each answer was last saved (version 2 of the format): worksheet id → field id or diary entry key → instant ("2026-12-08T09:30:00.000Z"); {} when not known. */
  readonly saved: Record<string, Record<string, string>>;
  /** The patient's local date ("yyyy-mm-dd") at `now`. */
  localDate(now?: Date): string;
  /** The stored form, for JSON.stringify. */
  toJSON(): object;
}

/** Reads a stored patient state (its JSON text or the parsed object); throws PatientStateError. */
export function readPatientState(input: string | object): PatientRecord;

/** The value of a condition tree in a state: true, false, a number, a text, an array, or null (missing). */
export function evaluateCondition(tree: ConditionTree, state: ConditionState): boolean | number | string | unknown[] | object | null;

/** Whether a condition tree holds in a state. */
export function conditionHolds(tree: ConditionTree, state: ConditionState): boolean;

/** The local date ("yyyy-mm-dd") at `now` in a time zone (an IANA id or a UTC offset; UTC when null). */
export function dateIn(timeZone: string | null, now?: Date): string;
