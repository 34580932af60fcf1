/**
 * A failed check, with a kind and a message that names the item (e.g. "ballot 3 (tracker 1a2b…),
 * question 1, choice 2: the 0/1 proof does not verify").
 *
 * kinds: malformed (bad encoding or shape), proof (a zero-knowledge proof fails), binding (a proof
 * made for another vote, voter slot or position), rule (a rule of the election is broken, e.g.
 * too many selections), mismatch (a recomputed value differs from the one in the record),
 * key (a trustee key file problem), math (internal arithmetic misuse).
 */
export type CryptoErrorKind = 'malformed' | 'proof' | 'binding' | 'rule' | 'mismatch' | 'key' | 'math';

export class CryptoError extends Error {
  constructor(
    public readonly kind: CryptoErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }

  /** The same error with a location prefixed to its message. */
  at(where: string): CryptoError {
    return new CryptoError(this.kind, `${where}: ${this.message}`);
  }
}

/** Runs `f`, prefixing `where` to any CryptoError it throws. */
export function located<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof CryptoError) throw err.at(where);
    throw err;
  }
}
