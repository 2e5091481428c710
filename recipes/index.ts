import hzz4l from './hzz-4l/recipe';
import largeRJets from './large-r-jets/recipe';
import lepHad from './lep-had/recipe';

/** Built-in recipes, listed explicitly so the compiler sees every one (like challenges/index.ts). */
export const builtinRecipes = [lepHad, hzz4l, largeRJets] as const;
