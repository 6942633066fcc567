import type { LabelScan } from '../labels';
import { readFhir } from './fhir';
import { readHl7 } from './hl7';
import { readKeyValues } from './key-value';
import { readAlignedColumns, readDelimitedTables } from './tables';
import { readX12 } from './x12';
import { ZoneIndex } from './zone-index';

export { ZoneIndex } from './zone-index';
export type { Zone } from './zone';

/**
 * Every zone of one prepared field. Readers are asked in the order of how
 * much their structure says: interchange formats (whose qualifiers and field
 * positions define each element), then tables, then aligned reports, then
 * "Key: value" lines.
 */
export function readZones(text: string, labels: LabelScan): ZoneIndex {
  const index = new ZoneIndex(text.length);
  index.addAll(readX12(text));
  index.addAll(readHl7(text));
  index.addAll(readFhir(text));
  index.addAll(readDelimitedTables(text, labels, '\t'));
  index.addAll(readDelimitedTables(text, labels, ','));
  index.addAll(readDelimitedTables(text, labels, '|'));
  index.addAll(readDelimitedTables(text, labels, ';'));
  index.addAll(readAlignedColumns(text, labels));
  index.addAll(readKeyValues(text, labels));
  return index.seal();
}
