import higgsSignalStrengthToy from './higgs-signal-strength-toy/challenge';
import higgsTautauToy from './higgs-tautau-toy/challenge';
import topTaggingModelToy from './top-tagging-model-toy/challenge';
import topTaggingToy from './top-tagging-toy/challenge';
import trackmlToy from './trackml-toy/challenge';

/** Built-in challenges, listed explicitly so the compiler sees every one; synced into the database at start. */
export const builtinChallenges = [higgsTautauToy, topTaggingToy, higgsSignalStrengthToy, trackmlToy, topTaggingModelToy] as const;

export { challengeDefinitionSchema, defineChallenge, type ChallengeDefinition, type PhaseDefinition } from './schema';
