/**
 * What the participation API answers, for the web app (which may import `contract.ts` files):
 * the types of the response schemas the routes declare. Results: resultSchemas.ts.
 */
import type { Static } from 'typebox';
import type * as R from './resultSchemas';

export type Results = Static<typeof R.ResultsSchema>;
export type ChoiceResult = Static<typeof R.ChoiceResultSchema>;
export type Explanation = Static<typeof R.ExplanationSchema>;
