import fs from 'node:fs';
import type { RootElementType } from '@/lib/pipeline/root/root-types';
import type { TreeBranchSpec } from '@/lib/pipeline/root/write/branch-types';
import { createRootFile } from '@/lib/pipeline/root/write/create-root-file';

/** One event's objects: container branch prefix (e.g. AnalysisElectronsAuxDyn) → field → one value per object. */
export type ConstructedEvent = Record<string, Record<string, readonly number[]>>;

/** Element types of fields that are not float (PHYSLITE's own: working points are char, muon quality unsigned char). */
const FIELD_TYPES: Record<string, RootElementType> = {
  'AnalysisElectronsAuxDyn.DFCommonElectronsLHLoose': 'int8',
  'AnalysisElectronsAuxDyn.DFCommonElectronsLHMedium': 'int8',
  'AnalysisMuonsAuxDyn.quality': 'uint8',
};

/**
 * Writes constructed events as a PHYSLITE-shaped CollectionTree: every (container, field) given becomes a
 * `vector<float>` branch (`vector<char>` etc. for PHYSLITE's flag fields) named `<container>.<field>`, plus
 * EventInfoAuxDyn.mcEventWeights (`vector<float>`), mcChannelNumber and eventNumber. For tests of recipes on events
 * built to exercise their selection.
 */
export async function writeConstructedPhysliteFile(out: string, events: readonly ConstructedEvent[], options: { dsid: number; mcWeight?: (event: number) => number; firstEventNumber?: number }): Promise<void> {
  const branches = new Map<string, RootElementType>();
  for (const event of events) {
    for (const [prefix, fields] of Object.entries(event)) {
      for (const field of Object.keys(fields)) branches.set(`${prefix}.${field}`, FIELD_TYPES[`${prefix}.${field}`] ?? 'float32');
    }
  }
  const specs: TreeBranchSpec[] = [...branches].map(([name, type]) => ({ name, kind: 'vector', type }));
  specs.push(
    { name: 'EventInfoAuxDyn.mcEventWeights', kind: 'vector', type: 'float32' },
    { name: 'EventInfoAuxDyn.mcChannelNumber', kind: 'number', type: 'uint32', leafName: 'mcChannelNumber' },
    { name: 'EventInfoAuxDyn.eventNumber', kind: 'number', type: 'uint64', leafName: 'eventNumber' },
  );
  const columns: Record<string, { values: number[]; offsets: number[] }> = {};
  for (const name of branches.keys()) columns[name] = { values: [], offsets: [0] };
  events.forEach((event) => {
    for (const name of branches.keys()) {
      const dot = name.indexOf('.');
      const values = event[name.slice(0, dot)]?.[name.slice(dot + 1)] ?? [];
      const column = columns[name] as { values: number[]; offsets: number[] };
      column.values.push(...values);
      column.offsets.push(column.values.length);
    }
  });
  const file = await createRootFile(`${out}.tmp`, { fileName: out.split('/').pop() });
  try {
    const tree = file.addTree({ name: 'CollectionTree', title: 'CollectionTree', branches: specs });
    const batch: Record<string, unknown> = {};
    for (const [name, column] of Object.entries(columns)) {
      const type = branches.get(name);
      const values = type === 'int8' ? Int8Array.from(column.values) : type === 'uint8' ? Uint8Array.from(column.values) : Float32Array.from(column.values);
      batch[name] = { values, offsets: Int32Array.from(column.offsets) };
    }
    batch['EventInfoAuxDyn.mcEventWeights'] = { values: Float32Array.from(events, (_, e) => options.mcWeight?.(e) ?? 1), offsets: Int32Array.from({ length: events.length + 1 }, (_, i) => i) };
    batch['EventInfoAuxDyn.mcChannelNumber'] = new Uint32Array(events.length).fill(options.dsid);
    batch['EventInfoAuxDyn.eventNumber'] = BigUint64Array.from(events, (_, e) => BigInt((options.firstEventNumber ?? 1) + e));
    tree.appendColumns(batch as Parameters<typeof tree.appendColumns>[0]);
    file.close();
    fs.renameSync(`${out}.tmp`, out);
  } catch (error) {
    file.abort();
    throw error;
  }
}
