import { defineReason } from '../../platform/http/problems';

/** Why a report is refused (the web app words each code in the page's language). */
export const R_REPORTS = {
  bothCoordinates: defineReason('report-both-coordinates', 'give both latitude and longitude'),
  noSettlementBoundary: defineReason<{ value: string }>(
    'report-no-settlement-boundary',
    (p) => `no settlement unit ${p.value} with a boundary`,
  ),
  noLocation: defineReason('report-no-location', 'give the location: lat and long, or a settlement unit'),
  badCoordinate: defineReason('report-bad-coordinate', 'not a valid WGS84 coordinate'),
  outsideEstonia: defineReason('report-outside-estonia', 'not in Estonia'),
  wrongMunicipality: defineReason<{ municipality: string }>('report-wrong-municipality', (p) => `in ${p.municipality}`),
  describe: defineReason('report-describe', 'describe the problem'),
  unknownCategory: defineReason('report-unknown-category', 'unknown category'),
  chooseCategory: defineReason('report-choose-category', 'choose a category'),
  oneValue: defineReason('one-value', 'takes one value'),
  notANumber: defineReason('not-a-number', 'must be a number'),
  notADateTime: defineReason('not-a-date-time', 'must be an ISO 8601 date and time'),
  notAnObject: defineReason('report-attributes-object', 'must be a JSON object'),
  departmentOrAssignee: defineReason('report-department-or-assignee', 'give a department or an assignee'),
  assigneeNotOfficial: defineReason(
    'report-assignee-not-official',
    'is not an official (editor or admin) of this municipality',
  ),
  duplicateOfItself: defineReason('report-duplicate-of-itself', 'a report cannot duplicate itself'),
  originalIsDuplicate: defineReason<{ report: number; original: number }>(
    'report-original-is-duplicate',
    (p) => `report ${p.report} is itself a duplicate of ${p.original}; merge into that one`,
  ),
  alreadyDuplicate: defineReason<{ report: number; original: number }>(
    'report-already-duplicate',
    (p) => `Report ${p.report} is already a duplicate of ${p.original}`,
  ),
  sayWhy: defineReason('report-say-why', 'say why'),
  nothingToChange: defineReason('report-nothing-to-change', 'nothing to change'),
  noPhoto: defineReason<{ position: number }>('report-no-photo', (p) => `no photo ${p.position}`),
  statusOrText: defineReason('report-status-or-text', 'give a new status or a text'),
  internalNoStatus: defineReason('report-internal-no-status', 'an internal note cannot change the status'),
  categoryAttributeTwice: defineReason('category-attribute-twice', 'is used twice'),
  categoryListNeedsValues: defineReason('category-list-needs-values', 'a list attribute needs values'),
  categoryNoBody: defineReason<{ value: string }>('category-no-body', (p) => `no body ${p.value}`),
  categoryNoEndpoint: defineReason('category-no-endpoint', 'no such delivery endpoint in this municipality'),
  categoryExists: defineReason('category-exists', 'a category with this code exists'),
  categoryNeedsName: defineReason(
    'category-needs-name',
    'a new category needs a name in et, en and ru and a domain',
  ),
};
