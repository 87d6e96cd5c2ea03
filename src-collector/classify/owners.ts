import { CidrTable } from './cidr';
import { RANGE_SOURCES, type RangeCategory, type RangeSource } from './data';
import type { ParsedIp } from './ip';

export interface RangeInfo {
  owner: string;
  category: RangeCategory;
}

function buildTable(sources: readonly RangeSource[]): CidrTable<RangeInfo> {
  const entries: { cidr: string; value: RangeInfo }[] = [];
  for (const source of sources) {
    const value: RangeInfo = { owner: source.owner, category: source.category };
    for (const cidr of source.prefixes) entries.push({ cidr, value });
  }
  return new CidrTable(entries);
}

let table: CidrTable<RangeInfo> | undefined;

/** Who owns the address according to the published ranges (built once, on first use). */
export function rangeOf(ip: ParsedIp): RangeInfo | undefined {
  table ??= buildTable(RANGE_SOURCES);
  return table.lookup(ip);
}
