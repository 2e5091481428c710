/**
 * Audit actions that change a challenge's definition or phases in the database. A built-in challenge with any of
 * them keeps the organisers' version at server start unless its file's revision is higher.
 */
export const definitionEditActions = ['challenge.update', 'challenge.attach-dataset', 'phase.open', 'phase.close', 'phase.limits'] as const;
