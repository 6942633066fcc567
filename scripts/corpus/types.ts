import type { EntityType } from '../../src/shared/entities';

export interface BodyEntity {
  type: EntityType;
  field: 'subject' | 'body';
  start: number;
  end: number;
}

export interface AttachmentEntity {
  type: EntityType;
  field: `attachment:${number}`;
  /** The value as written in the document. */
  value: string;
}

export interface AttachmentRef {
  name: string;
  contentType: string;
  /** Relative to the JSONL file. */
  path: string;
}

export interface CorpusRow {
  id: string;
  kind: string;
  subject: string;
  bodyType: 'text' | 'html';
  body: string;
  sensitive: boolean;
  entities: (BodyEntity | AttachmentEntity)[];
  attachments?: AttachmentRef[];
}

/** How an attachment is made from a source this generator writes. */
export interface AttachmentDraft {
  name: string;
  contentType: string;
  /** The source written by the generator (HTML, CSV, text or a whole EML). */
  source: string;
  /** `convert`: soffice turns the source into `name`; `write`: the source is the file; `zip`: a ZIP of `members`. */
  make: 'convert' | 'write' | 'zip';
  /** The extension of the source file given to soffice (html, csv, fodp, txt). */
  sourceExt?: string;
  /** soffice input filter, when its guess is not right. */
  infilter?: string;
  members?: AttachmentDraft[];
  /** Labelled values in this attachment. */
  values: { type: EntityType; value: string }[];
}

export interface Draft {
  /** Subject and body may hold entity markers (see doc.ts). */
  subject: string;
  body: string;
  html: boolean;
  attachments?: AttachmentDraft[];
}

export type Template = (r: import('./rng').Rng, sensitive: boolean) => Draft;
