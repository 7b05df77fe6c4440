/**
 * What one GitOps batch does to the branch, planned from what the branch holds — no working tree, no index. The
 * caller lists the touched folders at the branch head (`git ls-tree`), reads their generations (`git cat-file`),
 * and this module decides, edit by edit, what each caller gets and writes the `git fast-import` stream that makes
 * the commit. Whether a folder changes is decided by comparing blob ids (hashed here, as git would), so an edit
 * that writes what is already there makes no commit.
 */
import { createHash } from 'node:crypto';

export const TENANTS = 'tenants';
export const folderOf = (id: string) => `${TENANTS}/${id}`;
/** The file in a deployment's folder whose `generation` field says which generation the folder holds. */
export const GENERATION_FILE = 'config.json';

export type ObjectFormat = 'sha1' | 'sha256';
/** A folder made exactly these files (flat names or sub-paths), or removed. */
export type FolderEdit = { files: Record<string, string> } | { remove: true };
export type BatchEdit = { id: string; edit: FolderEdit; generation?: number };
/** Per edit: applied, or refused because the folder already holds a newer generation. */
export type EditOutcome = { applied: true } | { applied: false; newer: number };

/** The id git gives a blob with this content. */
export function blobId(content: string, format: ObjectFormat): string {
  const body = Buffer.from(content, 'utf8');
  return createHash(format).update(`blob ${body.length}\0`).update(body).digest('hex');
}

/** The generation a config.json names (0 when it names none or is not JSON), as the folder rule reads it. */
export function generationOf(config: string | undefined): number {
  if (config === undefined) return 0;
  try {
    return Number((JSON.parse(config) as { generation?: unknown }).generation) || 0;
  } catch {
    return 0;
  }
}

/** Parses `git ls-tree -r -z` output into path → blob id. */
export function parseListing(out: string): Map<string, string> {
  const listing = new Map<string, string>();
  for (const entry of out.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [, type, id] = entry.slice(0, tab).split(' ');
    if (type === 'blob' && id) listing.set(entry.slice(tab + 1), id);
  }
  return listing;
}

/** Parses `git cat-file --batch` output (objects asked for by id) into id → content. */
export function parseCatFile(out: string): Map<string, string> {
  const buf = Buffer.from(out, 'utf8');
  const contents = new Map<string, string>();
  let at = 0;
  while (at < buf.length) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const [id, type, size] = buf.subarray(at, eol).toString('utf8').split(' ');
    at = eol + 1;
    if (type === 'missing' || size === undefined) continue;
    contents.set(id!, buf.subarray(at, at + Number(size)).toString('utf8'));
    at += Number(size) + 1;
  }
  return contents;
}

const unsafePath = (p: string) => p.includes('\n') || p.startsWith('"') || p.split('/').some((part) => part === '' || part === '.' || part === '..');

/**
 * Plans the batch. `listing` is what the head holds under the touched folders and the shared paths; `configs`
 * maps a config.json blob id to its content (needed only for folders an edit with a generation touches).
 * Edits of one folder apply in order, each checked against the folder as the batch has it so far.
 */
export function planBatch(input: { edits: BatchEdit[]; listing: Map<string, string>; configs: Map<string, string>; shared: Record<string, string>; format: ObjectFormat }) {
  const { edits, listing, configs, shared, format } = input;
  const outcomes = new Map<BatchEdit, EditOutcome>();
  // Folder id → the files it ends with (null: removed). Only folders an applied edit touched.
  const finals = new Map<string, Record<string, string> | null>();
  const existingFiles = (id: string) => {
    const prefix = `${folderOf(id)}/`;
    return [...listing].filter(([p]) => p.startsWith(prefix)).map(([p, blob]) => [p.slice(prefix.length), blob] as const);
  };
  const generationNow = (id: string) => {
    if (finals.has(id)) return generationOf(finals.get(id)?.[GENERATION_FILE]);
    const blob = listing.get(`${folderOf(id)}/${GENERATION_FILE}`);
    return blob ? generationOf(configs.get(blob)) : 0;
  };
  for (const e of edits) {
    const there = e.generation !== undefined ? generationNow(e.id) : 0;
    if (e.generation !== undefined && there > e.generation) {
      outcomes.set(e, { applied: false, newer: there });
      continue;
    }
    for (const name of 'files' in e.edit ? Object.keys(e.edit.files) : []) {
      if (unsafePath(`${folderOf(e.id)}/${name}`)) throw new Error(`Unsafe GitOps file name: ${JSON.stringify(name)}`);
    }
    finals.set(e.id, 'files' in e.edit ? e.edit.files : null);
    outcomes.set(e, { applied: true });
  }

  const changedIds = new Set<string>();
  for (const [id, files] of finals) {
    const before = new Map(existingFiles(id));
    const after = new Map(Object.entries(files ?? {}).map(([name, content]) => [name, blobId(content, format)]));
    const same = before.size === after.size && [...after].every(([name, blob]) => before.get(name) === blob);
    if (!same) changedIds.add(id);
  }
  const changedShared = Object.entries(shared).filter(([file, content]) => listing.get(file) !== blobId(content, format));

  // The fast-import commands after `from`: each changed folder is dropped and written whole.
  const data = (content: string) => `data ${Buffer.byteLength(content, 'utf8')}\n${content}\n`;
  let stream = '';
  for (const id of changedIds) {
    stream += `D ${folderOf(id)}\n`;
    for (const [name, content] of Object.entries(finals.get(id) ?? {})) stream += `M 100644 inline ${folderOf(id)}/${name}\n${data(content)}`;
  }
  for (const [file, content] of changedShared) {
    if (unsafePath(file)) throw new Error(`Unsafe GitOps file name: ${JSON.stringify(file)}`);
    stream += `M 100644 inline ${file}\n${data(content)}`;
  }
  return { outcomes, changedIds, changes: stream === '' ? null : stream };
}

/** The whole fast-import input: one commit on `ref` with `parent` (none: a root commit) and the planned changes. */
export function commitStream(o: { ref: string; parent: string | null; message: string; changes: string; now: Date }) {
  const when = `${Math.floor(o.now.getTime() / 1000)} +0000`;
  const message = `${o.message}\n`;
  return (
    `reset ${o.ref}\n` +
    `commit ${o.ref}\nmark :1\n` +
    `author Plinth <plinth@localhost> ${when}\ncommitter Plinth <plinth@localhost> ${when}\n` +
    `data ${Buffer.byteLength(message, 'utf8')}\n${message}` +
    (o.parent ? `from ${o.parent}\n` : '') +
    o.changes +
    `\nget-mark :1\n`
  );
}
