import { defineReason } from '../../platform/http/problems';

/** Why a vote, an idea or a candidate is refused (the web app words each code in the page's language). */
export const R_VOTES = {
  twoChoices: defineReason('vote-two-choices', 'give at least two choices'),
  choicesDiffer: defineReason('vote-choices-differ', 'choices must differ'),
  extraTranslations: defineReason('vote-extra-translations', 'more translations than choices'),
  minOverMax: defineReason('vote-min-over-max', 'must not exceed maxChoices'),
  tooFewChoices: defineReason<{ count: number }>('vote-too-few-choices', (p) => `there are only ${p.count} choices`),
  budgetRules: defineReason('vote-budget-rules', 'a participatory budget needs its rules (method, districts)'),
  districtSettlements: defineReason(
    'vote-district-settlements',
    'with several districts each must list its settlement units',
  ),
  notSettlement: defineReason<{ value: string; municipality: string }>(
    'not-settlement-of-municipality',
    (p) => `${p.value} is not a settlement unit of municipality ${p.municipality}`,
  ),
  settlementInDistrict: defineReason<{ value: string; district: number }>(
    'vote-settlement-in-district',
    (p) => `${p.value} is already in district ${p.district}`,
  ),
  closesBeforeOpens: defineReason('vote-closes-before-opens', 'must be later than opensAt'),
  proposalsAfterOpening: defineReason('vote-proposals-after-opening', 'must not be later than opensAt'),
  pollNoProposals: defineReason('vote-poll-no-proposals', 'polls have no proposal phase'),
  noSuchElectorate: defineReason('vote-no-such-electorate', 'no such electorate in this municipality'),
  chooseSettlement: defineReason('vote-choose-settlement', 'choose at least one settlement unit'),
  questionsOnlyInPolls: defineReason(
    'vote-questions-only-in-polls',
    'only polls have questions; elder and budget ballots are built from candidates and ideas',
  ),
  kindFixed: defineReason<{ kind: string }>(
    'vote-kind-fixed',
    (p) => `the kind of a vote cannot change (it is ${p.kind})`,
  ),
  proposalsClosePast: defineReason(
    'vote-proposals-close-past',
    'set a closing time of the proposals phase in the future first',
  ),
  chooseElectorate: defineReason('vote-choose-electorate', 'choose who may vote (the electorate)'),
  addQuestion: defineReason('vote-add-question', 'add at least one question'),
  approveCandidate: defineReason('vote-approve-candidate', 'approve at least one candidate who has consented'),
  feasibleIdea: defineReason('vote-feasible-idea', 'mark at least one idea feasible'),
  ideaNoCost: defineReason<{ number: number; title: string }>(
    'vote-idea-no-cost',
    (p) => `idea ${p.number} ("${p.title}") has no final cost`,
  ),
  ideaNoDistrict: defineReason<{ number: number; title: string }>(
    'vote-idea-no-district',
    (p) => `idea ${p.number} ("${p.title}") is in no district`,
  ),
  closingPassed: defineReason('vote-closing-passed', 'the closing time has passed; set new times first'),
  publicReason: defineReason('idea-public-reason', 'give a public reason'),
  finalCost: defineReason('idea-final-cost', 'a feasible idea needs its final cost estimate'),
  chooseDistrict: defineReason<{ districts: string }>(
    'idea-choose-district',
    (p) => `choose the district: ${p.districts}`,
  ),
  overDistrictBudget: defineReason<{ district: string }>(
    'idea-over-district-budget',
    (p) => `more than the budget of ${p.district}`,
  ),
  mergeTarget: defineReason('idea-merge-target', 'name another idea of this budget to merge into'),
  photosLimit: defineReason<{ max: number }>('idea-photos-limit', (p) => `at most ${p.max} photos per idea`),
  candidateAge: defineReason<{ age: number }>(
    'candidate-min-age',
    (p) => `a candidate must be at least ${p.age} years old on the election day`,
  ),
  alreadyNominated: defineReason('candidate-already-nominated', 'this person has already been nominated'),
  giveReason: defineReason('candidate-give-reason', 'give a reason'),
  notConsented: defineReason('candidate-not-consented', 'the candidate has not consented yet'),
};
