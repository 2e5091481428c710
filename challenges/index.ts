import higgsTautauToy from './higgs-tautau-toy/challenge';

/** Built-in challenges, listed explicitly so the compiler sees every one; synced into the database at start. */
export const builtinChallenges = [higgsTautauToy] as const;

export { challengeDefinitionSchema, defineChallenge, type ChallengeDefinition, type PhaseDefinition } from './schema';
