// A program read from graph.json, and what it says for a patient. The rules are the web bundle's
// schedule.js and conditions.js (lib/engine.js, made from them unchanged), the same as the C#
// runtime's ProgramGraph.Evaluate: both pass tests/vectors/schedule.json and conditions.json.
import { CE } from './engine.js';
import { PatientRecord, PatientStateError, readPatientState } from './patient-state.js';

/** graph.json cannot be read as a program. */
export class GraphError extends Error {
  constructor(message) {
    super(message);
    this.name = 'GraphError';
  }
}

const GRAPH_FORMAT = 1;
const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);

function need(ok, message) {
  if (!ok) throw new GraphError(`graph.json ${message}`);
}

/** The parts of graph.json the schedule reads, checked enough that evaluation never meets a surprise. */
function check(graph) {
  need(isObject(graph), 'is not a JSON object');
  need(graph.graphFormat === GRAPH_FORMAT, `says graph format ${JSON.stringify(graph.graphFormat)}, and this version of contentengine-runtime reads graph format ${GRAPH_FORMAT}`);
  need(typeof graph.id === 'string' && graph.id.length > 0, 'has no program id');
  need(typeof graph.version === 'string', 'has no program version');
  need(Array.isArray(graph.locales) && graph.locales.length > 0 && graph.locales.every((l) => typeof l === 'string'), 'has no locales');
  need(graph.release === 'weekly' || graph.release === 'all', `has the release ${JSON.stringify(graph.release)}, not "weekly" or "all"`);
  need(Array.isArray(graph.phases), 'has no phases');
  need(Array.isArray(graph.modules), 'has no modules');
  const phases = new Set();
  graph.phases.forEach((p, i) => {
    need(isObject(p) && typeof p.id === 'string' && Number.isInteger(p.firstWeek) && Number.isInteger(p.weeks), `phases[${i}] is not a phase`);
    need(p.choose === undefined || (isObject(p.choose) && Number.isInteger(p.choose.min)), `phases[${i}].choose has no min`);
    phases.add(p.id);
  });
  const modules = new Set();
  graph.modules.forEach((m, i) => {
    need(isObject(m) && typeof m.id === 'string' && Number.isInteger(m.programWeek) && typeof m.optional === 'boolean', `modules[${i}] is not a module`);
    need(!modules.has(m.id), `lists the module '${m.id}' twice`);
    need(phases.has(m.phase), `module '${m.id}' names the phase '${m.phase}', which it does not have`);
    need(Array.isArray(m.requires) && m.requires.every((r) => typeof r === 'string'), `module '${m.id}' has no list of required modules`);
    need(m.offerWhen === undefined || (isObject(m.offerWhen) && isObject(m.offerWhen.tree)), `module '${m.id}' has an offerWhen without a condition tree`);
    modules.add(m.id);
  });
  graph.modules.forEach((m) => m.requires.forEach((r) => need(modules.has(r), `module '${m.id}' requires '${r}', which it does not have`)));
}

/** The status with the lists ProgramStatus has (Open, Locked, Offered, Recommended) as module ids. */
function withLists(status) {
  const ids = (keep) => status.modules.filter(keep).map((m) => m.id);
  return {
    ...status,
    open: ids((m) => m.state === 'open'),
    locked: ids((m) => m.state === 'locked'),
    offered: ids((m) => m.state === 'offered'),
    recommended: ids((m) => m.recommended && m.state === 'offered'),
  };
}

const DAY = 86400000;

export class Program {
  /** @param graph graph.json, parsed */
  constructor(graph) {
    check(graph);
    this.graph = graph;
    this.id = graph.id;
    this.version = graph.version;
    this.locales = graph.locales;
    this.defaultLocale = graph.locales[0];
    this.release = graph.release;
    this.phases = graph.phases;
    this.modules = graph.modules;
  }

  /** A module by id, or null. */
  module(id) { return this.modules.find((m) => m.id === id) ?? null; }

  /** The program's length in weeks, pauses included. */
  get totalWeeks() { return CE.schedule.totalWeeks(this.graph); }

  /**
   * What a patient in `progress` ({start, today, week, completed, chosen, answers}, as
   * PatientProgress.FromJson reads it) may see. Without `today`, today is the UTC date, as in the runtime.
   */
  evaluate(progress = {}) {
    const p = isObject(progress) ? { ...progress } : {};
    if (!CE.schedule.isDate(p.today)) p.today = CE.schedule.dateIn(null);
    return withLists(CE.schedule.evaluate(this.graph, p));
  }

  /**
   * What the patient of a stored state (docs/package-format.md section 14: the object, its JSON text,
   * or what readPatientState returned) may see at `now` (a Date; the current time when left out):
   * the state's time zone gives the patient's local date, which counts the weeks (ProgramGraph.Evaluate(record, now)).
   */
  evaluateState(state, now = new Date()) {
    const record = state instanceof PatientRecord ? state : readPatientState(state);
    if (record.program !== this.id) {
      throw new PatientStateError('otherProgram', `the patient state is for the program '${record.program}', not '${this.id}'`);
    }
    if (record.start !== null) {
      const last = Date.UTC(9999, 11, 31) / DAY;
      const start = CE.schedule.daysBetween('1970-01-01', record.start);
      const weeks = this.totalWeeks;
      if (start + 7 * Math.max(1, weeks) > last) {
        throw new PatientStateError('invalid', `"start" ${record.start} is so late that the program's ${weeks} weeks would end after 9999-12-31`);
      }
    }
    const progress = { completed: record.completed, chosen: record.chosen, answers: record.answers, today: CE.schedule.dateIn(record.timeZone, now) };
    if (record.start !== null) progress.start = record.start;
    if (record.week !== null) progress.fixedWeek = record.week;
    return withLists(CE.schedule.evaluate(this.graph, progress));
  }
}

/** A program from graph.json: its text, bytes or parsed object. Anything it cannot read throws GraphError. */
export function programFromGraph(graph) {
  let json = graph;
  if (graph instanceof Uint8Array) json = new TextDecoder('utf-8').decode(graph);
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (e) {
      throw new GraphError(`graph.json is not valid JSON (${e.message})`);
    }
  }
  return new Program(json);
}

/** The value of a condition tree (graph.json's offerWhen.tree, a block's when) in a state {week, completed, chosen, answers}: true, false, a number, a text, an array, or null (missing). */
export const evaluateCondition = (tree, state) => CE.evaluate(tree, state);

/** Whether a condition tree holds in a state; a missing value, like false, does not. */
export const conditionHolds = (tree, state) => CE.isTrue(tree, state);

/** The patient's local date ("yyyy-mm-dd") at `now` in a time zone (an IANA id or a UTC offset; UTC when null). */
export const dateIn = (timeZone, now = new Date()) => CE.schedule.dateIn(timeZone, now);
