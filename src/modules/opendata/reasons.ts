import { defineReason } from '../../platform/http/problems';

/** Why an information system or a dataset is refused (the web app words each code in the page's language). */
export const R_OPENDATA = {
  iskeClass: defineReason('infosystem-iske-class', 'An ISKE system needs its security class (e.g. K1T1S1).'),
  iskeLevel: defineReason('infosystem-iske-level', 'An ISKE system needs its security level (L, M or H).'),
  auditResolution: defineReason('infosystem-audit-resolution', 'Say how the last audit ended.'),
  personalDataNone: defineReason(
    'infosystem-personal-data-none',
    '"none" cannot be combined with classes of personal data.',
  ),
  email: defineReason('infosystem-email', 'is not an e-mail address'),
  httpUrl: defineReason('infosystem-http-url', 'must start with http:// or https://'),
  rihaRegistered: defineReason('infosystem-riha-registered', 'A system with a RIHA identifier is registered in RIHA.'),
};
