import higgsSignalStrengthToy from './higgs-signal-strength-toy/challenge';
import higgsml2014Sample from './higgsml-2014-sample/challenge';
import higgsTautauToy from './higgs-tautau-toy/challenge';
import topTaggingModelToy from './top-tagging-model-toy/challenge';
import topTaggingToy from './top-tagging-toy/challenge';
import trackmlToy from './trackml-toy/challenge';

/**
 * Built-in challenges, listed explicitly so the compiler sees every one; synced into the database at start. The first
 * is the real-data one (ATLAS HiggsML 2014 events shipped in its folder), the others run on seeded toys.
 */
export const builtinChallenges = [higgsml2014Sample, higgsTautauToy, topTaggingToy, higgsSignalStrengthToy, trackmlToy, topTaggingModelToy] as const;

export { challengeDefinitionSchema, defineChallenge, type ChallengeDefinition, type PhaseDefinition } from './schema';
