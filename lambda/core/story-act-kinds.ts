// Kinds of acts and of the people around a person that the join decision reads (as story terms).
import { termSet } from './story-context';

/**
 * Acts that coverage of the act hardly ever leaves unnamed (a lawsuit is "sued" or "a lawsuit"; a firing can be "forced
 * out", "removal" or "exits"): a story started by one is another development than an item that never mentions it.
 */
export const NAMED_ACT_TERMS = termSet('sue testify indict arrest subpoena');

/**
 * Later stages of a procedure, which their coverage names: a story started by an appeal, a postponement or a completed
 * recount is another development than an item that never mentions it (the suit, the hearing, the recount's finding).
 */
export const STAGE_ACT_TERMS = termSet('appeal postpone schedule complete courtrules');

/** Acts done once to a person: a firing, a resignation, a hiring (as story terms). */
export const ONCE_ACTS = termSet('fire leave hire');

/** A group an act is done to, again and again: "fires CISA staffers who worked on ..." names which ones after it. */
export const GROUPS = termSet('staffers employees workers members staff personnel');

/** Who acts for a person, or beside them: their aide, deputy, lawyer, investigator or spouse is someone else (as story terms). */
export const AIDES = termSet(
  'aide deputy lawyer counsel spokesman spokeswoman spokesperson assistant staffer chiefstaff investigator wife husband',
);

/** Posts an act names someone by when it names no one: "fires top aide" is not "fires health director". */
export const POSTS = termSet(
  'head deputy aide adviser advisor spokesman spokeswoman spokesperson secretary commissioner administrator counsel ' +
    'treasurer manager clerk assistant chiefstaff',
);

/** Acts whose synonyms name either side as the doer: "joins" and "hires", "buys" and "sells to". */
export const CONVERSE_ACTS = new Set(['hire', 'acquire', 'leave']);
