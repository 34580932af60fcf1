import { defineProblem } from '../../platform/http/problems';

export const RP = {
  outsideEstonia: defineProblem(
    'report-outside-estonia',
    400,
    'The location is not in any Estonian municipality',
    'The point lies at sea or outside Estonia. Choose a point on land in Estonia, or type the address.',
  ),
  wrongMunicipality: defineProblem(
    'report-wrong-municipality',
    400,
    'The location is in another municipality',
    'The point lies in another municipality than the one the request was sent to.',
  ),
  unknownCategory: defineProblem(
    'report-unknown-category',
    400,
    'Unknown category',
    'The category (Open311 service_code) does not exist or is not active in this municipality.',
  ),
  transition: defineProblem(
    'report-status-transition',
    409,
    'This status change is not possible',
    'The report cannot move to this status from its current one in this way (use merge for duplicates).',
  ),
  survey: defineProblem(
    'report-survey',
    409,
    'The questionnaire is not open',
    'The satisfaction questionnaire can be answered once per closing of a report, by its reporter.',
  ),
  idempotencyKeyReused: defineProblem(
    'idempotency-key-reused',
    422,
    'This Idempotency-Key was used for other content',
    'A retry must send the same content as the first request with its Idempotency-Key. A new report needs a new key.',
  ),
  idempotencyKeyInFlight: defineProblem(
    'idempotency-key-in-flight',
    409,
    'A request with this Idempotency-Key is in progress',
    'Wait for the first request with this key to be answered, then retry.',
  ),
};
