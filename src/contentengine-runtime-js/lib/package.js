// Opening a program package (<id>-<version>.cepkg, a zip) with Node's zlib: manifest.json and graph.json
// are read and verified, refusing what ContentEngine.Runtime's ProgramPackage.Open refuses
// (src/ContentEngine.Runtime/Packaging/ProgramPackage.cs; docs/package-format.md section 10), with the same messages.
// The other files are checked against the manifest by name and size at once, and by SHA-256 when read.
import { inflateRawSync } from 'node:zlib';
import { createHash, verify as verifySignature } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { programFromGraph, GraphError } from './program.js';

const MEBI = 1024 * 1024;

/** The runtime's limits (ProgramPackage.Max…), against zip bombs. */
export const limits = Object.freeze({
  maxUncompressedBytes: 2048 * MEBI,
  maxFileBytes: 512 * MEBI,
  maxManifestBytes: 8 * MEBI,
  maxEntries: 10000,
  maxExpansion: 20,
  minExpansionBytes: 8 * MEBI,
});

const CURRENT_FORMAT = 1;
const MINIMUM_FORMAT = 1;
const GRAPH_FORMAT = 1;
const MANIFEST = 'manifest.json';
const GRAPH = 'graph.json';
const SIGNATURE = 'signature.json';
const MAX_SIGNATURE_BYTES = 64 * 1024;
const MAX_DIRECTORY_RECORD_BYTES = 46 + 2048;

/** A package was refused: `code` says what kind of problem (the runtime's PackageError, camelCased), `path` the file. */
export class PackageError extends Error {
  constructor(code, message, path = null) {
    super(message);
    this.name = 'PackageError';
    this.code = code;
    this.path = path;
  }
}

const fail = (code, message, path = null) => { throw new PackageError(code, message, path); };

/** Why a path inside the package is unsafe to unpack anywhere, or null (ProgramPackage.UnsafeName). */
function unsafeName(name) {
  if (name.length === 0) return 'it is empty';
  if (name.startsWith('/')) return 'it is absolute';
  if (name.includes('\\')) return 'it contains a backslash';
  if (name.length >= 2 && name[1] === ':' && /[A-Za-z]/.test(name[0])) return 'it names a drive';
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'it contains a control character';
  for (const segment of name.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return segment.length === 0 ? 'it has an empty segment' : `it has a '${segment}' segment`;
  }
  return null;
}

const printable = (name) => name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const folded = (name) => name.toUpperCase();

/** The end record: entries, the central directory's size and offset (zip64 where the end record says so). */
function endRecord(buf) {
  const tail = Math.min(buf.length, 22 + 65535);
  let at = -1;
  for (let i = buf.length - 22; i >= buf.length - tail && at < 0; i--) if (buf.readUInt32LE(i) === 0x06054b50) at = i;
  if (at < 0) fail('notAPackage', 'the file is not a readable zip archive (no end of central directory record)');
  let entries = buf.readUInt16LE(at + 10);
  let size = buf.readUInt32LE(at + 12);
  let offset = buf.readUInt32LE(at + 16);
  if ((entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) && at >= 20 && buf.readUInt32LE(at - 20) === 0x07064b50) {
    const record = Number(buf.readBigUInt64LE(at - 20 + 8));
    if (record >= 0 && record <= buf.length - 56 && buf.readUInt32LE(record) === 0x06064b50) {
      entries = Number(buf.readBigUInt64LE(record + 32));
      size = Number(buf.readBigUInt64LE(record + 40));
      offset = Number(buf.readBigUInt64LE(record + 48));
    }
  }
  if (entries > limits.maxEntries) fail('tooLarge', `the package holds ${entries} entries, more than the ${limits.maxEntries} this library opens`);
  if (size > (entries + 1) * MAX_DIRECTORY_RECORD_BYTES) fail('notAPackage', `the package's list of entries takes ${size} bytes for ${entries} entries: it is damaged or crafted`);
  if (offset + size > buf.length) fail('notAPackage', 'the file is not a readable zip archive (its list of entries lies beyond its end)');
  return { entries, size, offset };
}

/** The zip's file entries by name, every name checked before anything is unpacked. */
function entriesOf(buf) {
  const end = endRecord(buf);
  const entries = new Map();
  const seen = new Map();
  let p = end.offset;
  for (let n = 0; n < end.entries; n++) {
    if (p + 46 > end.offset + end.size || buf.readUInt32LE(p) !== 0x02014b50) fail('notAPackage', 'the file is not a readable zip archive (a damaged list of entries)');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compressed = buf.readUInt32LE(p + 20);
    let length = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const attributes = buf.readUInt32LE(p + 38);
    let local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    // Zip64: the sizes and offset that do not fit are in the extra field 0x0001, in this order.
    let e = p + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = buf.readUInt16LE(e), len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (length === 0xffffffff && q + 8 <= e + 4 + len) { length = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (compressed === 0xffffffff && q + 8 <= e + 4 + len) { compressed = Number(buf.readBigUInt64LE(q)); q += 8; }
        if (local === 0xffffffff && q + 8 <= e + 4 + len) { local = Number(buf.readBigUInt64LE(q)); }
      }
      e += 4 + len;
    }
    p = extraEnd + commentLength;

    const isFolder = name.endsWith('/');
    const why = unsafeName(isFolder ? name.slice(0, -1) : name);
    if (why) fail('notAPackage', `the package holds an entry with an unsafe name '${printable(name)}': ${why}`, name);
    // The upper 16 bits are the Unix mode where the zip was made on Unix.
    if (((attributes >>> 16) & 0xf000) === 0xa000) fail('notAPackage', `the package's entry '${name}' is a symbolic link`, name);
    if (isFolder) continue; // some zip tools add folder entries
    if (entries.has(name)) fail('notAPackage', `the package holds '${name}' twice`, name);
    if (seen.has(folded(name))) fail('notAPackage', `the package holds '${seen.get(folded(name))}' and '${name}', names that differ only in case`, name);
    entries.set(name, { name, flags, method, compressed, length, local });
    seen.set(folded(name), name);
  }
  return entries;
}

/** Unpacks at most `limit` bytes of an entry; a longer entry gives limit + 1 bytes, so that it is noticed. */
function unpack(buf, entry, limit) {
  const notReadable = (why) => fail('notAPackage', `the package's entry '${entry.name}' cannot be unpacked (${why})`, entry.name);
  if (entry.flags & 1) notReadable('it is encrypted');
  const p = entry.local;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) notReadable('its local header is damaged');
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  if (start + entry.compressed > buf.length) notReadable('it lies beyond the end of the file');
  const data = buf.subarray(start, start + entry.compressed);
  if (entry.method === 0) return data.subarray(0, limit + 1);
  if (entry.method !== 8) notReadable(`compression method ${entry.method}`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, limit + 1) });
  } catch (e) {
    if (e && e.code === 'ERR_BUFFER_TOO_LARGE') return Buffer.alloc(limit + 1);
    return notReadable(e && e.message ? e.message : String(e));
  }
}

function str(v, where) {
  if (typeof v !== 'string') throw new TypeError(`a string was expected at ${where}`);
  return v;
}

/** manifest.json, read as ProgramPackage.ReadManifest reads it. */
function readManifest(bytes) {
  let root;
  try {
    root = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    fail('invalidManifest', `manifest.json is not valid JSON (${e.message})`, MANIFEST);
  }
  const format = root !== null && typeof root === 'object' ? root.packageFormat : undefined;
  if (typeof format !== 'number' || format % 1 !== 0) fail('invalidManifest', 'manifest.json has no packageFormat number', MANIFEST);
  if (format < MINIMUM_FORMAT || format > CURRENT_FORMAT) {
    fail('unsupportedFormat', `manifest.json says package format ${format}, and this version of contentengine-runtime reads ` +
      (MINIMUM_FORMAT === CURRENT_FORMAT ? `format ${CURRENT_FORMAT} only` : `formats ${MINIMUM_FORMAT} to ${CURRENT_FORMAT}`) +
      (format > CURRENT_FORMAT ? '; update contentengine-runtime to open it' : ''), MANIFEST);
  }
  try {
    const { program, build } = root;
    if (!Number.isInteger(root.graphFormat)) throw new TypeError('graphFormat is not a whole number');
    const files = root.files.map((f, i) => {
      if (!Number.isInteger(f.size)) throw new TypeError(`files[${i}].size is not a whole number`);
      return { path: str(f.path, `files[${i}].path`), size: f.size, sha256: str(f.sha256, `files[${i}].sha256`) };
    });
    return {
      packageFormat: format,
      programId: str(program.id, 'program.id'),
      programVersion: str(program.version, 'program.version'),
      locales: program.locales.map((l, i) => str(l, `program.locales[${i}]`)),
      graphFormat: root.graphFormat,
      generator: str(build.generator, 'build.generator'),
      created: typeof build.created === 'string' ? build.created : null,
      bundles: root.bundles.map((b, i) => str(b, `bundles[${i}]`)),
      files,
    };
  } catch (e) {
    return fail('invalidManifest', `manifest.json is incomplete or malformed (${e.message})`, MANIFEST);
  }
}

/** The listed files checked against the limits and the entries, as ProgramPackage.ReadListedFiles does before unpacking. */
function checkListed(manifest, entries, packageBytes) {
  const listed = new Map();
  const seen = new Map();
  let total = 0;
  for (const f of manifest.files) {
    const why = unsafeName(f.path);
    if (why) fail('invalidManifest', `manifest.json lists an unsafe path '${printable(f.path)}': ${why}`, MANIFEST);
    if (listed.has(f.path)) fail('invalidManifest', `manifest.json lists '${f.path}' twice`, MANIFEST);
    if (seen.has(folded(f.path))) fail('invalidManifest', `manifest.json lists '${seen.get(folded(f.path))}' and '${f.path}', paths that differ only in case`, MANIFEST);
    if (f.path === MANIFEST) fail('invalidManifest', 'manifest.json lists itself', MANIFEST);
    if (f.size < 0) fail('invalidManifest', `manifest.json gives '${f.path}' a negative size`, MANIFEST);
    if (f.size > limits.maxFileBytes) {
      fail('tooLarge', `manifest.json gives '${f.path}' ${Math.floor(f.size / MEBI)} MiB, more than the ${limits.maxFileBytes / MEBI} MiB this library opens in one file`, f.path);
    }
    listed.set(f.path, f);
    seen.set(folded(f.path), f.path);
    total += f.size;
    if (total > limits.maxUncompressedBytes) {
      fail('tooLarge', `manifest.json lists files of more than ${limits.maxUncompressedBytes / MEBI} MiB in all, more than this library opens`, MANIFEST);
    }
  }
  const expansion = Math.max(limits.minExpansionBytes, packageBytes * limits.maxExpansion);
  if (total > expansion) {
    fail('tooLarge', `manifest.json lists ${total} bytes of files, more than ${limits.maxExpansion} times the package's ${packageBytes} bytes: it is refused as a zip bomb`, MANIFEST);
  }
  for (const f of manifest.files) {
    if (entries.has(f.path)) continue;
    const cased = [...entries.keys()].find((k) => folded(k) === folded(f.path));
    fail('missingFile', cased === undefined
      ? `the file '${f.path}' listed in manifest.json is missing from the package`
      : `the file '${f.path}' listed in manifest.json is in the package as '${cased}': the names differ in case`, f.path);
  }
  for (const name of [...entries.keys()].sort()) {
    if (name === MANIFEST || name === SIGNATURE || listed.has(name)) continue;
    const other = seen.get(folded(name));
    fail('extraFile', other !== undefined
      ? `the package holds '${name}', which manifest.json lists as '${other}': the names differ in case`
      : `the package holds '${name}', which manifest.json does not list: it was added after packaging`, name);
  }
  for (const f of manifest.files) {
    if (entries.get(f.path).length !== f.size) sizeMismatch(f, entries.get(f.path).length);
  }
  return listed;
}

function sizeMismatch(f, actual) {
  fail('hashMismatch', actual > f.size
    ? `the file '${f.path}' has more than the ${f.size} bytes manifest.json says: it was changed after packaging`
    : `the file '${f.path}' has ${actual} bytes where manifest.json says ${f.size}: it was changed after packaging`, f.path);
}

/** A listed file, unpacked no further than its listed size and checked against its size and SHA-256. */
function verified(buf, entry, f) {
  const bytes = unpack(buf, entry, f.size);
  if (bytes.length !== f.size) sizeMismatch(f, bytes.length);
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (hash !== f.sha256.toLowerCase()) {
    fail('hashMismatch', `the file '${f.path}' does not match its SHA-256 in manifest.json: it was changed after packaging`, f.path);
  }
  return bytes;
}

const badSignature = (message) => fail('badSignature', message, SIGNATURE);

/**
 * signature.json checked as ProgramPackage.Open checks it (docs/package-format.md, sections 3 and 10): an ECDSA P-256
 * signature over the signer's name and manifest.json's SHA-256, by the public key it carries.
 */
function checkSignature(bytes, manifestBytes, trusted) {
  let s;
  try {
    s = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    return badSignature(`signature.json is malformed (${e.message})`);
  }
  if (s === null || typeof s !== 'object') return badSignature('signature.json is malformed (not an object)');
  if (s.signatureFormat !== 1) badSignature(`signature.json has signature format ${s.signatureFormat}, and this version of contentengine-runtime reads format 1`);
  if (s.algorithm !== 'ecdsa-p256-sha256') badSignature(`signature.json uses the algorithm '${s.algorithm}', and this version of contentengine-runtime checks 'ecdsa-p256-sha256'`);
  for (const key of ['signer', 'fingerprint', 'publicKey', 'manifestSha256', 'signature']) {
    if (typeof s[key] !== 'string') badSignature(`signature.json is malformed (${key} is missing or not a text)`);
  }
  const publicKey = Buffer.from(s.publicKey, 'base64');
  if (createHash('sha256').update(publicKey).digest('hex') !== s.fingerprint) {
    badSignature("signature.json's fingerprint is not that of the public key it carries: it was changed after signing");
  }
  const hash = createHash('sha256').update(manifestBytes).digest('hex');
  if (hash !== s.manifestSha256) badSignature('manifest.json does not match the SHA-256 signature.json signed: it was changed after signing');
  const message = Buffer.from(`ContentEngine package signature 1\nsigner: ${s.signer}\nmanifest.json sha256: ${hash}\n`, 'utf8');
  let valid;
  try {
    valid = verifySignature('sha256', message, { key: publicKey, format: 'der', type: 'spki', dsaEncoding: 'der' }, Buffer.from(s.signature, 'base64'));
  } catch (e) {
    return badSignature(`signature.json's public key cannot be read (${e.message})`);
  }
  if (!valid) badSignature(`the signature in signature.json is not valid for manifest.json and the signer '${s.signer}': the package or its signature was changed after signing`);
  return Object.freeze({ signer: s.signer, fingerprint: s.fingerprint, algorithm: s.algorithm, trusted: trusted.includes(s.fingerprint) });
}

/**
 * Opens a package from its bytes: checks every entry's name, reads manifest.json, checks the listed
 * files against the limits and the entries, checks signature.json when there is one, then reads and
 * verifies graph.json and reads the program. `options.trustedPublishers` (key fingerprints, 64 hex
 * digits, as `contentengine inspect` prints them) refuses an unsigned package (`unsigned`) and one
 * signed by any other key (`untrustedSigner`).
 */
export function openPackage(data, options = {}) {
  const trusted = (options.trustedPublishers ?? []).map((f) => String(f).trim().toLowerCase());
  const buf = Buffer.isBuffer(data) ? data
    : data instanceof ArrayBuffer ? Buffer.from(data)
      : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
        : fail('notAPackage', 'openPackage takes the bytes of a package (a Buffer, Uint8Array or ArrayBuffer)');
  if (buf.length > limits.maxUncompressedBytes) fail('tooLarge', `the package is larger than ${limits.maxUncompressedBytes / MEBI} MiB; it is refused`);
  const entries = entriesOf(buf);
  const manifestEntry = entries.get(MANIFEST)
    ?? fail('missingManifest', 'the package has no manifest.json: it is not a ContentEngine package, or it was damaged', MANIFEST);
  if (manifestEntry.length > limits.maxManifestBytes) {
    fail('tooLarge', `manifest.json is ${Math.floor(manifestEntry.length / MEBI)} MiB, more than the ${limits.maxManifestBytes / MEBI} MiB this library reads`, MANIFEST);
  }
  // No further than the zip declares, as the runtime's zip library reads: a manifest longer than that is cut there.
  const manifestBytes = unpack(buf, manifestEntry, manifestEntry.length).subarray(0, manifestEntry.length);
  const manifest = readManifest(manifestBytes);
  const listed = checkListed(manifest, entries, buf.length);
  let signature = null;
  const signatureEntry = entries.get(SIGNATURE);
  if (signatureEntry !== undefined) {
    if (signatureEntry.length > MAX_SIGNATURE_BYTES) fail('tooLarge', `signature.json is larger than ${MAX_SIGNATURE_BYTES / 1024} KiB`, SIGNATURE);
    signature = checkSignature(unpack(buf, signatureEntry, signatureEntry.length).subarray(0, signatureEntry.length), manifestBytes, trusted);
  }
  if (trusted.length > 0 && signature === null) {
    fail('unsigned', 'the package is not signed, and only packages signed by a trusted publisher are opened', SIGNATURE);
  }
  if (trusted.length > 0 && !signature.trusted) {
    fail('untrustedSigner', `the package is signed by '${signature.signer}' with the key ${signature.fingerprint}, which is not among the trusted publisher keys`, SIGNATURE);
  }
  if (manifest.graphFormat !== GRAPH_FORMAT) {
    fail('unsupportedFormat', `manifest.json says graph format ${manifest.graphFormat}, and this version of contentengine-runtime reads graph format ${GRAPH_FORMAT}` +
      (manifest.graphFormat > GRAPH_FORMAT ? '; update contentengine-runtime to open it' : ''), MANIFEST);
  }
  const graphFile = listed.get(GRAPH) ?? fail('missingFile', 'the package has no graph.json', GRAPH);
  const graphBytes = verified(buf, entries.get(GRAPH), graphFile);
  let program;
  try {
    program = programFromGraph(new TextDecoder('utf-8', { fatal: true }).decode(graphBytes));
  } catch (e) {
    if (e instanceof GraphError || e instanceof TypeError) fail('invalidGraph', e.message, GRAPH);
    throw e;
  }
  if (program.id !== manifest.programId || program.version !== manifest.programVersion) {
    fail('invalidGraph', `graph.json is the program '${program.id}' ${program.version} but manifest.json says '${manifest.programId}' ${manifest.programVersion}`, GRAPH);
  }
  const cache = new Map([[MANIFEST, manifestBytes], [GRAPH, graphBytes]]);
  return Object.freeze({
    manifest,
    program,
    /** Who signed the package, checked against manifest.json ({signer, fingerprint, algorithm, trusted}), or null. */
    signature,
    /** Every file's path, sorted, manifest.json included. */
    paths: Object.freeze([MANIFEST, ...(signature ? [SIGNATURE] : []), ...listed.keys()].sort()),
    contains: (path) => path === MANIFEST || (signature !== null && path === SIGNATURE) || listed.has(path),
    /** A file's bytes, verified against its size and SHA-256 in the manifest when first read. */
    readFile(path) {
      if (!cache.has(path)) {
        const f = listed.get(path) ?? fail('missingFile', `the package has no file '${path}'`, path);
        cache.set(path, verified(buf, entries.get(path), f));
      }
      return cache.get(path);
    },
    readText(path) { return new TextDecoder('utf-8').decode(this.readFile(path)); },
    /** Reads and verifies every file now (opening verifies manifest.json and graph.json only). */
    verifyAll() { for (const path of listed.keys()) this.readFile(path); },
  });
}

/** Opens a package file (Node). */
export async function readPackage(path, options = {}) {
  return openPackage(await readFile(path), options);
}
