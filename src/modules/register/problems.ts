import { P, Problem, defineProblem } from '../../platform/http/problems';

/**
 * The register not answering is the platform's `503 /problems/service-unavailable` (with
 * `Retry-After`, like every dependency outage), with `dependency: 'population-register'`.
 */
export const REGISTER_UNAVAILABLE = P.unavailable;

export const ELECTORATE_LOCKED = defineProblem(
  'electorate-locked',
  409,
  'The electorate can no longer be changed',
  'The electorate is frozen (its voter list is fixed) or in use by a vote that has opened, so its rules, settlement units and lists cannot change.',
);

export const ELECTORATE_NOT_FROZEN = defineProblem(
  'electorate-not-frozen',
  409,
  'The voter list is not frozen yet',
  'This electorate uses a frozen voter list, which must be built (frozen) before eligibility can be checked or the list viewed.',
);

export const NO_REGISTER_DATA = defineProblem(
  'register-no-data',
  409,
  'No register data for this municipality',
  'Building or previewing a voter list needs the municipality\u2019s register extract loaded (`kov register import`).',
);

export type RegisterFailure = 'timeout' | 'error' | 'malformed';

/** Thrown when the live register does not answer correctly: a vote attempt must record nothing and say "try again". */
export function registerUnavailable(failure: RegisterFailure, detail?: string): Problem {
  return new Problem(
    REGISTER_UNAVAILABLE,
    detail ?? 'The population register did not answer correctly. Nothing was recorded; try again in a moment.',
    { dependency: 'population-register', failure, retryable: true },
  );
}

export function isRegisterUnavailable(err: unknown): err is Problem {
  return (
    err instanceof Problem &&
    err.kind.slug === REGISTER_UNAVAILABLE.slug &&
    err.extras.dependency === 'population-register'
  );
}

/** An implementation's failure, before it is logged and turned into the problem above. */
export class RegisterError extends Error {
  constructor(
    public readonly failure: RegisterFailure,
    message: string,
    public readonly messageId?: string,
  ) {
    super(message);
    this.name = 'RegisterError';
  }
}
