/* ContentEngine web bundle: the condition evaluator.
   CE.evaluate(tree, state) evaluates a compiled condition tree (the JSON written by ConditionJson in
   src/ContentEngine/Output/GraphJson.cs) against a patient state {week, completed, chosen, answers}
   and returns true, false, a number, a text, an array (a multiple choice) or null (missing).
   CE.isTrue(tree, state) is true only when the condition holds.
   The semantics are those of the C# reference, src/ContentEngine.Runtime/Conditions/Evaluator.cs and
   PatientState.FromJson, and both must pass every case of tests/vectors/conditions.json.
   Plain ES5, no modules; never throws: an unknown node, or anything it cannot read, is missing. */
(function () {
  'use strict';
  var CE = (window.CE = window.CE || {});
  var has = Object.prototype.hasOwnProperty;

  /* Values during evaluation: null (missing), a finite number, a string, a boolean, a TextSet (the
     selected values of a multiple choice) or OPAQUE (an answer that is given but not comparable). */
  function TextSet(items) { this.items = items; }
  var OPAQUE = { opaque: true };

  function own(obj, key) {
    return obj !== null && typeof obj === 'object' && typeof key === 'string' && has.call(obj, key);
  }

  function isObject(x) { return x !== null && typeof x === 'object' && !isArray(x); }
  function isArray(x) { return Object.prototype.toString.call(x) === '[object Array]'; }

  /** A number is a value only when finite (overflow, NaN and infinities are missing). */
  function num(x) { return typeof x === 'number' && isFinite(x) ? x : null; }

  /** An answer as read from the state (PatientState.ReadValue). */
  function readValue(raw, depth) {
    if (typeof raw === 'number') return num(raw);
    if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
    if (isArray(raw)) {
      if (depth > 32) return OPAQUE;
      var items = [];
      for (var i = 0; i < raw.length; i++) {
        var v = readValue(raw[i], depth + 1);
        if (v !== null) items.push(v);
      }
      return new TextSet(items);
    }
    if (raw !== null && typeof raw === 'object') return OPAQUE;
    return null;
  }

  /** Keys that begin with an underscore are the entry's own (a diary entry's "_date"), never answers. */
  function isAnswerKey(key) { return typeof key === 'string' && key.charAt(0) !== '_'; }

  /** One field of one entry; absent and null are missing. */
  function entryGet(entry, field) {
    return isAnswerKey(field) && own(entry, field) ? readValue(entry[field], 0) : null;
  }

  /** Whether an entry has at least one answered field. */
  function entryAnswered(entry) {
    for (var k in entry) {
      if (has.call(entry, k) && isAnswerKey(k) && readValue(entry[k], 0) !== null) return true;
    }
    return false;
  }

  /** A worksheet's entries: a diary's object entries, a form's one entry, or none. */
  function entriesOf(raw) {
    if (isArray(raw)) {
      var entries = [];
      for (var i = 0; i < raw.length; i++) if (isObject(raw[i])) entries.push(raw[i]);
      return entries;
    }
    return isObject(raw) ? [raw] : [];
  }

  function strings(list) {
    var result = [];
    if (isArray(list)) for (var i = 0; i < list.length; i++) if (typeof list[i] === 'string') result.push(list[i]);
    return result;
  }

  /** The state as PatientState.FromJson reads it. */
  function readState(state) {
    var s = isObject(state) ? state : {};
    var week = s.week;
    // As the C# reference: a week is taken down to its whole week; one below 1 or unusable is 1.
    week = typeof week === 'number' && isFinite(week) && week >= 1 ? Math.min(Math.floor(week), 2147483647) : 1;
    return {
      week: week,
      completed: strings(s.completed),
      chosen: strings(s.chosen),
      answers: isObject(s.answers) ? s.answers : {}
    };
  }

  function contains(list, item) {
    for (var i = 0; i < list.length; i++) if (list[i] === item) return true;
    return false;
  }

  function isTrueValue(v) { return v === true; }

  function scalarEquals(a, b) {
    if (typeof a === 'number') return typeof b === 'number' && a === b;
    if (typeof a === 'string') return typeof b === 'string' && a === b;
    if (typeof a === 'boolean') return typeof b === 'boolean' && a === b;
    return false;
  }

  /** Equality; against a set of selected values it means "is among them". */
  function areEqual(left, right) {
    var i;
    if (left instanceof TextSet) {
      for (i = 0; i < left.items.length; i++) if (scalarEquals(left.items[i], right)) return true;
      return false;
    }
    if (right instanceof TextSet) {
      for (i = 0; i < right.items.length; i++) if (scalarEquals(right.items[i], left)) return true;
      return false;
    }
    return scalarEquals(left, right);
  }

  var COMPARISONS = { '==': 1, '!=': 1, '<': 1, '<=': 1, '>': 1, '>=': 1 };
  var ARITHMETIC = { '+': 1, '-': 1, '*': 1, '/': 1 };

  function binary(node, st) {
    var op = node.op;
    if (op === 'and') return isTrueValue(ev(node.left, st)) && isTrueValue(ev(node.right, st));
    if (op === 'or') return isTrueValue(ev(node.left, st)) || isTrueValue(ev(node.right, st));
    var comparison = own(COMPARISONS, op);
    if (!comparison && !own(ARITHMETIC, op)) return null;

    var left = ev(node.left, st);
    var right = ev(node.right, st);
    if (left === null || right === null) return comparison ? false : null;
    if (op === '==') return areEqual(left, right);
    if (op === '!=') return !areEqual(left, right);
    if (typeof left !== 'number' || typeof right !== 'number') return comparison ? false : null;
    switch (op) {
      case '<': return left < right;
      case '<=': return left <= right;
      case '>': return left > right;
      case '>=': return left >= right;
      case '+': return num(left + right);
      case '-': return num(left - right);
      case '*': return num(left * right);
      default: return right === 0 ? null : num(left / right);
    }
  }

  function field(node, st) {
    if (!own(st.answers, node.worksheet)) return null;
    var raw = st.answers[node.worksheet];
    return isObject(raw) ? entryGet(raw, node.field) : null;
  }

  function score(node, st) {
    if (!own(st.answers, node.worksheet)) return null;
    var items = node.items;
    if (!isArray(items) || items.length === 0) return null;
    var raw = st.answers[node.worksheet];
    var total = 0;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (!isObject(item)) return null;
      var v = isObject(raw) ? entryGet(raw, item.field) : null;
      if (typeof v !== 'number') return null;
      total += item.reverse === true ? item.min + item.max - v : v;
    }
    if (node.method === 'mean') return num(total / items.length);
    if (node.method === 'sum') return num(total);
    return null;
  }

  function aggregate(node, st) {
    var raw = own(st.answers, node.worksheet) ? st.answers[node.worksheet] : null;
    var entries = isArray(raw) ? entriesOf(raw) : [];
    var fn = node['function'];
    if (fn === 'count') return entries.length;

    var values = [];
    if (typeof node.field === 'string') {
      for (var i = 0; i < entries.length; i++) {
        var v = entryGet(entries[i], node.field);
        if (v !== null) values.push(v);
      }
    }
    if (values.length === 0) return null;
    if (fn === 'last') return values[values.length - 1];

    var numbers = [];
    for (var j = 0; j < values.length; j++) if (typeof values[j] === 'number') numbers.push(values[j]);
    if (numbers.length === 0) return null;
    var k, result;
    switch (fn) {
      case 'mean':
        result = 0;
        for (k = 0; k < numbers.length; k++) result += numbers[k];
        return num(result / numbers.length);
      case 'min':
        result = numbers[0];
        for (k = 1; k < numbers.length; k++) if (numbers[k] < result) result = numbers[k];
        return num(result);
      case 'max':
        result = numbers[0];
        for (k = 1; k < numbers.length; k++) if (numbers[k] > result) result = numbers[k];
        return num(result);
      default:
        return null;
    }
  }

  function answered(node, st) {
    if (!own(st.answers, node.target)) return false;
    var entries = entriesOf(st.answers[node.target]);
    if (node.diary === true) return entries.length > 0;
    if (entries.length === 0 || !entryAnswered(entries[0])) return false;
    var required = isArray(node.requiredFields) ? node.requiredFields : [];
    for (var i = 0; i < required.length; i++) {
      if (entryGet(entries[0], required[i]) === null) return false;
    }
    return true;
  }

  function ev(node, st) {
    if (!isObject(node)) return null;
    switch (node.node) {
      case 'number': return num(node.value);
      case 'text': return typeof node.value === 'string' ? node.value : null;
      case 'boolean': return typeof node.value === 'boolean' ? node.value : null;
      case 'week': return st.week;
      case 'field': return field(node, st);
      case 'score': return score(node, st);
      case 'aggregate': return aggregate(node, st);
      case 'completed': return typeof node.target === 'string' && contains(st.completed, node.target);
      case 'chosen': return typeof node.target === 'string' && contains(st.chosen, node.target);
      case 'answered': return answered(node, st);
      case 'not': return !isTrueValue(ev(node.operand, st));
      case 'negate':
        var operand = ev(node.operand, st);
        return typeof operand === 'number' ? num(-operand) : null;
      case 'binary': return binary(node, st);
      default: return null;
    }
  }

  /** An evaluation value as the caller sees it: a set becomes an array, an opaque answer {}. */
  function exported(v) {
    if (v instanceof TextSet) {
      var items = [];
      for (var i = 0; i < v.items.length; i++) items.push(exported(v.items[i]));
      return items;
    }
    if (v === OPAQUE) return {};
    return v;
  }

  /** The value of a condition tree in a state: true, false, a number, a text, an array, or null (missing). */
  CE.evaluate = function (tree, state) {
    try {
      return exported(ev(tree, readState(state)));
    } catch (e) {
      return null; // too deep, or a state that cannot be read: missing
    }
  };

  /** Whether a condition holds: a missing value, like false, does not. */
  CE.isTrue = function (tree, state) {
    return CE.evaluate(tree, state) === true;
  };
})();
