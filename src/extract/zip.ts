/**
 * Reading ZIP containers (plain archives and the OOXML/ODF formats built on
 * them) under a budget. The central directory is read first, so entry count,
 * declared sizes, expansion ratio and encryption are all judged before a
 * single byte is inflated; inflation then runs in small steps and stops the
 * moment an entry produces more than it declared or the budget allows, so a
 * bomb whose headers lie is caught just as fast.
 */
import { Inflate } from 'fflate';
import type { Budget } from './context';
import { decodeCp1252, decodeUtf8Strict } from './decode';
import { ExtractError } from './types';

export interface ZipEntry {
  name: string;
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  /** Offset of the local file header. */
  offset: number;
}

/** Archives smaller than this expanded are never "bombs", whatever their ratio. */
const RATIO_FLOOR = 1024 * 1024;
/** Compressed bytes fed to the inflater per step: bounds the work between checks. */
const STEP = 16 * 1024;

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x100000000;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && bytes.length >= 22;
}

function corrupt(): ExtractError {
  return new ExtractError('corrupt', 'not scanned: the archive is damaged');
}

/** Lists the entries of an archive from its central directory, charging them to the budget. */
export function readZipDirectory(bytes: Uint8Array, budget: Budget): ZipEntry[] {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 5 && bytes[i + 3] === 6) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt();
  let count = u16(bytes, eocd + 10);
  let dirOffset = u32(bytes, eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) {
    // ZIP64: the real numbers are in the ZIP64 end record the locator points at.
    const locator = eocd - 20;
    if (locator < 0 || u32(bytes, locator) !== 0x07064b50) throw corrupt();
    const record = u64(bytes, locator + 8);
    if (record + 56 > bytes.length || u32(bytes, record) !== 0x06064b50) throw corrupt();
    count = u64(bytes, record + 32);
    dirOffset = u64(bytes, record + 48);
  }
  budget.countEntries(count);
  const entries: ZipEntry[] = [];
  let pos = dirOffset;
  for (let n = 0; n < count; n++) {
    if (pos + 46 > bytes.length || u32(bytes, pos) !== 0x02014b50) throw corrupt();
    const flags = u16(bytes, pos + 8);
    const method = u16(bytes, pos + 10);
    let compressedSize = u32(bytes, pos + 20);
    let size = u32(bytes, pos + 24);
    const nameLength = u16(bytes, pos + 28);
    const extraLength = u16(bytes, pos + 30);
    const commentLength = u16(bytes, pos + 32);
    let offset = u32(bytes, pos + 42);
    const nameBytes = bytes.subarray(pos + 46, pos + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise it is in the DOS code page, close enough to 1252 for names.
    const name = (flags & 0x800) !== 0 ? (decodeUtf8Strict(nameBytes) ?? '') : decodeCp1252(nameBytes);
    let extra = pos + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = u16(bytes, extra);
      const len = u16(bytes, extra + 2);
      if (id === 0x0001) {
        let at = extra + 4;
        if (size === 0xffffffff) {
          size = u64(bytes, at);
          at += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = u64(bytes, at);
          at += 8;
        }
        if (offset === 0xffffffff) offset = u64(bytes, at);
      }
      extra += 4 + len;
    }
    // Method 99 is WinZip AES; bit 0 is traditional ZipCrypto.
    entries.push({
      name,
      method,
      encrypted: (flags & 1) !== 0 || method === 99,
      compressedSize,
      size,
      offset,
    });
    pos = extraEnd + commentLength;
  }
  checkDeclared(entries, budget);
  return entries;
}

/** Judges the archive by what its directory declares, before any work. */
function checkDeclared(entries: readonly ZipEntry[], budget: Budget): void {
  let total = 0;
  let compressed = 0;
  for (const e of entries) {
    total += e.size;
    compressed += e.compressedSize;
  }
  if (total > budget.bytesLeft()) throw budget.tooLarge();
  if (total > RATIO_FLOOR && total > Math.max(1, compressed) * budget.limits.maxRatio) {
    throw new ExtractError(
      'too-large',
      `not scanned: the archive expands more than ${budget.limits.maxRatio} times (a zip bomb)`,
    );
  }
}

/** An entry's content, inflated within what it declared and what the budget has left. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, budget: Budget): Uint8Array {
  if (entry.encrypted) throw new ExtractError('encrypted', 'not scanned: it is password-protected');
  const at = entry.offset;
  if (at + 30 > bytes.length || u32(bytes, at) !== 0x04034b50) throw corrupt();
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw corrupt();
  const data = bytes.subarray(start, end);
  budget.checkTime();
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize) throw corrupt();
    budget.spend(entry.size);
    return data;
  }
  if (entry.method !== 8) {
    throw new ExtractError('unsupported', 'not scanned: the archive uses a compression method not supported');
  }
  if (entry.size > budget.bytesLeft()) throw budget.tooLarge();
  const out = new Uint8Array(entry.size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > out.length) {
      // More than the directory declared: the header lies, as bombs' headers do.
      throw new ExtractError(
        'too-large',
        'not scanned: an archive entry expands past the size it declares (a zip bomb)',
      );
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let p = 0; p < data.length; p += STEP) {
      inflater.push(data.subarray(p, Math.min(data.length, p + STEP)), p + STEP >= data.length);
      budget.checkTime();
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    throw corrupt();
  }
  if (written !== entry.size) throw corrupt();
  budget.spend(written);
  return out;
}

/** Random access to an archive's entries by name. */
export class ZipArchive {
  readonly entries: ZipEntry[];
  private readonly byName = new Map<string, ZipEntry>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly budget: Budget,
  ) {
    this.entries = readZipDirectory(bytes, budget);
    for (const e of this.entries) this.byName.set(e.name, e);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  read(name: string): Uint8Array | undefined {
    const entry = this.byName.get(name);
    return entry === undefined ? undefined : readZipEntry(this.bytes, entry, this.budget);
  }

  /** An entry as text: the XML of Office files is UTF-8 (or marked UTF-16). */
  text(name: string): string | undefined {
    const data = this.read(name);
    if (data === undefined) return undefined;
    if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return decodeUtf8Strict(data, 3) ?? '';
    return decodeUtf8Strict(data) ?? decodeCp1252(data);
  }
}
