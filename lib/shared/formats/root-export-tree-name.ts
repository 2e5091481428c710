/**
 * The TTree name of a dataset's ROOT export: the table's name (or the file's, without `.root`) with characters other
 * than letters, digits and "_" replaced by "_", so that RDataFrame, TTree::Draw and uproot take it as it is:
 * train.root → train, test@tes_up.root → test_tes_up. The dataset writer and the data page's snippets both use it.
 */
export function rootExportTreeName(tableOrFileName: string): string {
  const name = tableOrFileName.replace(/\.root$/i, '').replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `t_${name}`;
}
