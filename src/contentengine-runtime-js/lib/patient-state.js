// A patient's stored state (docs/package-format.md section 14, schemas/patient-state.schema.json), read
// whole or refused as the runtime's PatientRecord.Parse reads it; the web bundle's older answers file too.
import { CE } from './engine.js';

/** A patient state was refused: `code` is the runtime's PatientStateError, camelCased. */
export class PatientStateError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'PatientStateError';
    this.code = code;
  }
}

const FORMAT = 'contentengine-patient-state';
const LEGACY = 'contentengine-answers';
const VERSION = 2; // the newest read; a state is written as version 1 unless it holds `saved` times
const KEYS = ['format', 'version', 'program', 'programVersion', 'timeZone', 'start', 'week', 'completed', 'chosen', 'answers', 'keptAside', 'saved'];
// An instant as Date.prototype.toISOString writes it (UTC, milliseconds): the only form `saved` holds.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
const invalid = (message) => new PatientStateError('invalid', message);
const raw = (v) => JSON.stringify(v) ?? String(v);

function kind(v) {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true or false';
  return v === null ? 'null' : 'an object';
}

/** A state read whole: the keys of the format, each absent one as null (or empty). */
export class PatientRecord {
  constructor(values) {
    this.program = values.program;
    this.programVersion = values.programVersion ?? null;
    this.timeZone = values.timeZone ?? null;
    this.start = values.start ?? null;
    this.week = values.week ?? null;
    this.completed = values.completed ?? [];
    this.chosen = values.chosen ?? [];
    this.answers = values.answers ?? {};
    this.keptAside = values.keptAside ?? {};
    this.saved = values.saved ?? {};
    Object.freeze(this);
  }

  /** The patient's local date ("yyyy-mm-dd") at `now`, in the state's time zone (UTC when none). */
  localDate(now = new Date()) { return CE.schedule.dateIn(this.timeZone, now); }

  /** The stored form, keys in the runtime's order (PatientRecord.ToJson), as an object for JSON.stringify. */
  toJSON() {
    const timed = Object.keys(this.saved).length > 0;
    const d = { format: FORMAT, version: timed ? 2 : 1, program: this.program };
    if (this.programVersion !== null) d.programVersion = this.programVersion;
    if (this.timeZone !== null) d.timeZone = this.timeZone;
    if (this.start !== null) d.start = this.start;
    if (this.week !== null) d.week = this.week;
    Object.assign(d, { completed: this.completed, chosen: this.chosen, answers: this.answers });
    if (Object.keys(this.keptAside).length > 0) d.keptAside = this.keptAside;
    if (timed) d.saved = this.saved;
    return d;
  }
}

function optionalString(json, name) {
  if (!has(json, name)) return null;
  if (typeof json[name] !== 'string') throw invalid(`"${name}" must be a string, not ${kind(json[name])}`);
  return json[name];
}

function optionalDate(json, name, where) {
  if (!has(json, name)) return null;
  if (!CE.schedule.isDate(json[name])) throw invalid(`"${where}" must be a date written yyyy-MM-dd, not ${raw(json[name])}`);
  return json[name];
}

function optionalWeek(json, name, where) {
  if (!has(json, name)) return null;
  const w = json[name];
  if (!Number.isInteger(w) || w < 0 || w > 2147483647) throw invalid(`"${where}" must be a whole number from 0, not ${raw(w)}`);
  return w;
}

function ids(json, name, prefix = '') {
  if (!has(json, name)) return [];
  const v = json[name];
  if (!Array.isArray(v)) throw invalid(`"${prefix}${name}" must be a list of module ids, not ${kind(v)}`);
  return v.map((id, i) => {
    if (typeof id !== 'string' || id.length === 0) throw invalid(`"${prefix}${name}"[${i}] must be a module id, not ${raw(id)}`);
    return id;
  });
}

function answersOf(json, name, prefix = '') {
  if (!has(json, name)) return {};
  const v = json[name];
  if (!isObject(v)) throw invalid(`"${prefix}${name}" must be an object of answers by worksheet id, not ${kind(v)}`);
  for (const [ws, value] of Object.entries(v)) {
    const at = `${prefix}${name}.${ws}`;
    if (ws.length === 0) throw invalid(`"${prefix}${name}" holds answers without a worksheet id`);
    if (Array.isArray(value)) {
      value.forEach((entry, i) => {
        if (!isObject(entry)) throw invalid(`"${at}"[${i}] must be a diary entry (an object of answers), not ${kind(entry)}`);
        if (has(entry, '_date') && !CE.schedule.isDate(entry._date)) {
          throw invalid(`"${at}"[${i}]._date must be a date written yyyy-MM-dd, not ${raw(entry._date)}`);
        }
      });
    } else if (!isObject(value)) {
      throw invalid(`"${at}" must be a form's answers (an object) or a diary's entries (a list), not ${kind(value)}`);
    }
  }
  return v;
}

/** An instant exactly as toISOString writes it: a real day and time (Date.parse would take 30 February as 2 March). */
function isInstant(at) {
  if (typeof at !== 'string' || !INSTANT.test(at)) return false;
  const t = Date.parse(at);
  return !Number.isNaN(t) && new Date(t).toISOString() === at;
}

/** When each answer was saved (version 2): by worksheet id, field id or diary entry key to an instant. */
function savedOf(json) {
  if (!has(json, 'saved')) return {};
  const v = json.saved;
  if (!isObject(v)) throw invalid(`"saved" must be an object of times by worksheet id, not ${kind(v)}`);
  for (const [ws, times] of Object.entries(v)) {
    if (ws.length === 0) throw invalid('"saved" holds times without a worksheet id');
    if (!isObject(times)) throw invalid(`"saved.${ws}" must be an object of times by field id or diary entry, not ${kind(times)}`);
    for (const [key, at] of Object.entries(times)) {
      if (!isInstant(at)) {
        throw invalid(`"saved.${ws}.${key}" must be an instant written yyyy-MM-ddTHH:mm:ss.fffZ (UTC), not ${raw(at)}`);
      }
    }
  }
  return v;
}

/** Numbers no double holds (1e400 parses to Infinity) are refused anywhere in the state, as the runtime refuses them. */
function checkNumbers(value, path) {
  const pending = [[value, path]];
  while (pending.length > 0) {
    const [v, at] = pending.pop();
    if (typeof v === 'number' && !Number.isFinite(v)) throw invalid(`${at === '' ? 'the state' : `"${at}"`} is a number beyond what a double holds`);
    if (Array.isArray(v)) v.forEach((x, i) => pending.push([x, `${at}[${i}]`]));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) pending.push([x, at === '' ? k : `${at}.${k}`]);
  }
}

function version(json, format, newest = VERSION) {
  if (!has(json, 'version')) throw invalid(`the ${format} file has no "version"`);
  const v = json.version;
  if (!Number.isInteger(v) || v < 1) throw invalid(`"version" must be a whole number from 1, not ${raw(v)}`);
  if (v > newest) {
    throw new PatientStateError('newerFormat', `the patient state is written in version ${v} of the format; this library reads ${newest === 1 ? 'version 1' : `versions 1 to ${newest}`}: update it`);
  }
  return v;
}

function programOf(json) {
  if (typeof json.program !== 'string' || json.program.length === 0) throw invalid('the patient state does not name its program ("program": a program id)');
  return json.program;
}

/**
 * Reads a stored patient state: its JSON text or the parsed object. Anything that is not a whole and
 * valid state throws PatientStateError (never a partial result).
 */
export function readPatientState(input) {
  let json = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      throw new PatientStateError('notAPatientState', `the text is not JSON (${e.message})`);
    }
  }
  if (!isObject(json)) throw new PatientStateError('notAPatientState', `a patient state is a JSON object, not ${kind(json)}`);
  if (json.format !== FORMAT && json.format !== LEGACY) {
    throw new PatientStateError('notAPatientState', has(json, 'format')
      ? `the file's format is ${raw(json.format)}, not "${FORMAT}"` : `the JSON has no "format": it is not a patient state ("format": "${FORMAT}")`);
  }
  checkNumbers(json, '');
  const v = version(json, json.format, json.format === LEGACY ? 1 : VERSION);
  const program = programOf(json);
  if (json.format === LEGACY) {
    const state = json.state;
    if (!isObject(state)) throw invalid('the answers file has no "state" object');
    const set = (name) => has(state, name) && state[name] !== null;
    return new PatientRecord({
      program,
      start: set('start') ? optionalDate(state, 'start', 'state.start') : null,
      week: set('week') ? optionalWeek(state, 'week', 'state.week') : null,
      completed: set('completed') ? ids(state, 'completed', 'state.') : [],
      chosen: set('chosen') ? ids(state, 'chosen', 'state.') : [],
      answers: set('answers') ? answersOf(state, 'answers', 'state.') : {},
    });
  }
  for (const key of Object.keys(json)) {
    if (!KEYS.includes(key) || (key === 'saved' && v < 2)) {
      throw invalid(`the patient state has the unknown key "${key}"${key === 'saved' ? ' (it belongs to version 2 of the format)' : ''}`);
    }
  }
  const timeZone = optionalString(json, 'timeZone');
  if (timeZone !== null && !CE.schedule.isTimeZone(timeZone)) {
    throw new PatientStateError('unknownTimeZone', `the time zone "${timeZone}" is neither a known IANA time zone ("Europe/Stockholm") nor a UTC offset from -14:00 to +14:00 ("+01:00", "Z")`);
  }
  const programVersion = optionalString(json, 'programVersion');
  if (programVersion === '') throw invalid('"programVersion" is empty');
  return new PatientRecord({
    program,
    programVersion,
    timeZone,
    start: optionalDate(json, 'start', 'start'),
    week: optionalWeek(json, 'week', 'week'),
    completed: ids(json, 'completed'),
    chosen: ids(json, 'chosen'),
    answers: answersOf(json, 'answers'),
    keptAside: answersOf(json, 'keptAside'),
    saved: savedOf(json),
  });
}
