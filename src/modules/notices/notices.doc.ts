import * as Y from 'yjs'
import { textEdit } from './notices.diff.js'

/** The one shared type of a notice's Yjs document; clients bind their textarea to it. */
export const TEXT_NAME = 'body'
/** A notice is a letter, not a book: longer texts are refused. */
export const MAX_TEXT_LENGTH = 60_000
/** One client update: typing produces a few dozen bytes, a paste of the whole letter some tens of kilobytes. */
export const MAX_UPDATE_BYTES = 256 * 1024

export class InvalidUpdate extends Error {}

export interface DocChange {
  /** The document after the change (encodeStateAsUpdate), to store. */
  state: Uint8Array
  text: string
  /** What is new to the server, as a Yjs update for the other editors; null when nothing changed. */
  delta: Uint8Array | null
}

/** A new document holding the text. */
export function newDocState(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText(TEXT_NAME).insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

function loadDoc(state: Uint8Array): Y.Doc {
  // gc keeps deleted text out of the stored state; clients of the same document still merge.
  const doc = new Y.Doc({ gc: true })
  Y.applyUpdate(doc, state)
  return doc
}

function changeOf(doc: Y.Doc, before: Uint8Array): DocChange {
  const state = Y.encodeStateAsUpdate(doc)
  const changed = !Buffer.from(state).equals(Buffer.from(before))
  // New items since the stored state, plus the delete set: what the other editors lack.
  const delta = changed ? Y.encodeStateAsUpdate(doc, Y.encodeStateVectorFromUpdate(before)) : null
  return { state, text: doc.getText(TEXT_NAME).toString(), delta }
}

/**
 * Merges an update sent by an editor into the stored document. Anything that is not a Yjs update of this
 * document's text — garbage, another shared type, changes that build on ones the server never saw, a text
 * longer than a letter — is refused as InvalidUpdate and the stored state stays as it was.
 */
export function mergeUpdate(state: Uint8Array, update: Uint8Array): DocChange {
  if (update.length === 0 || update.length > MAX_UPDATE_BYTES) throw new InvalidUpdate('size')
  const doc = loadDoc(state)
  try {
    Y.applyUpdate(doc, update)
  } catch {
    throw new InvalidUpdate('not a Yjs update')
  }
  if ([...doc.share.keys()].some(name => name !== TEXT_NAME)) throw new InvalidUpdate('not the notice text')
  // Structs waiting for changes the server has not got would be stored as pending forever.
  if (doc.store.pendingStructs || doc.store.pendingDs) throw new InvalidUpdate('depends on unknown changes')
  const change = changeOf(doc, state)
  if (change.text.length > MAX_TEXT_LENGTH) throw new InvalidUpdate('too long')
  return change
}

/** Applies a whole new text (a form saved without JavaScript) as the smallest edit, so co-editors keep their work. */
export function replaceText(state: Uint8Array, text: string): DocChange {
  const doc = loadDoc(state)
  const ytext = doc.getText(TEXT_NAME)
  const edit = textEdit(ytext.toString(), text)
  doc.transact(() => {
    if (edit.remove) ytext.delete(edit.index, edit.remove)
    if (edit.insert) ytext.insert(edit.index, edit.insert)
  })
  return changeOf(doc, state)
}
