// Who an item and its story put in the act: another tracked person, post, aide or reactor makes another development.

import { AIDES, ONCE_ACTS, POSTS } from './story-act-kinds';
import { isReaction } from './story-clauses';
import { entitiesNamed, ROLE_TERMS, type StoryContext, termSet } from './story-context';
import { type ActRoles, orderedTitle, type StorySignature } from './story-terms';
import { STATE_TERMS } from './story-words';

/** A state leads or ends a headline as its place, not its doer: "Georgia to recount ballots, Raffensperger orders". */
export const doers = (roles: ActRoles) => roles.agent.filter((term) => !STATE_TERMS.has(term));

/** A story headline's roles when its first act is the item's: the comparisons below need the same act on both sides. */
export const rolesOfSameAct = (mine: ActRoles | undefined, sig: StorySignature) =>
  mine && sig.roles?.act === mine.act ? sig.roles : undefined;

/** Whether a headline names no tracked entity but its act's doer: "Katie Hobbs fires top aide". */
export const namesNoOne = (sig: StorySignature, roles: ActRoles, context: StoryContext) =>
  entitiesNamed(
    sig.title.filter((term) => !roles.agent.includes(term)),
    context,
  ).length === 0;

export interface PeopleApart {
  /** Tracked entities the story told of. */
  toldPeople: ReadonlySet<string>;
  /** Tracked entities the item names outside its background. */
  saidPeople: ReadonlySet<string>;
  /** Names, posts, aides and reactors on one side that the other never has: each is someone else's act. */
  apart: string[];
}

/** Who the item puts in the act against who its story did (`told`: every term the story told as done). */
export function peopleApart(
  item: StorySignature,
  storySigs: readonly StorySignature[],
  told: ReadonlySet<string>,
  itemBackground: ReadonlySet<string>,
  context: StoryContext,
): PeopleApart {
  const mine = item.roles;
  // Another tracked person in the place of the story's: "Trump fires CISA's Matthew Masterson" after "Trump fires CISA
  // director Chris Krebs". Each side names someone the other never mentions.
  const itemPeople = entitiesNamed(item.title, context);
  const storyPeople = entitiesNamed(
    storySigs.flatMap((sig) => sig.title),
    context,
  );
  // A person the item's trailing clause recalls ("... after Sterling") is not who it puts in the act.
  const saidPeople = new Set(
    entitiesNamed(
      item.terms.filter((term) => !itemBackground.has(term)),
      context,
    ),
  );
  const toldPeople = new Set(entitiesNamed(told, context));
  const otherPeople = storyPeople.some((id) => !saidPeople.has(id))
    ? itemPeople.filter((id) => !toldPeople.has(id))
    : [];
  // The same act done to another post, no one named: "Katie Hobbs fires top aide" after "... fires state health
  // director". Each side's post is one the other never names.
  // A hire's trailing "as ..." names the post ("taps former lawmaker as chief of staff"); a firing's is its reason.
  const postsOf = (sig: StorySignature, roles: ActRoles) =>
    sig.title.filter(
      (term) => POSTS.has(term) && !roles.agent.includes(term) && (roles.act === 'hire' || !sig.clause?.includes(term)),
    );
  const otherPosts = storySigs.flatMap((sig) => {
    const theirs = rolesOfSameAct(mine, sig);
    if (!mine || !theirs) return [];
    if (!namesNoOne(item, mine, context) || !namesNoOne(sig, theirs, context)) return [];
    const [myPosts, theirPosts] = [postsOf(item, mine), postsOf(sig, theirs)];
    // An act done again and again to a post the story never named is done to someone else: "investigation into Fulton
    // County elections director" after "... into Fulton County".
    const recurringAct = !ONCE_ACTS.has(mine.act) && myPosts.length > 0 && theirPosts.length === 0;
    const apart = myPosts.every((term) => !theirPosts.includes(term)) && (theirPosts.length > 0 || recurringAct);
    return apart ? myPosts : [];
  });
  // The person's aide, lawyer or spokesman doing what the story says the person did, or the other way round:
  // "Raffensperger aide testifies" then "Raffensperger testifies". Only on the person's side of the act.
  const aidesOf = (sig: StorySignature, roles: ActRoles) => {
    const side = (term: string) => roles.agent.includes(term);
    const personSides = new Set(sig.title.filter((term) => context.entityTerms.has(term)).map(side));
    return sig.title.filter((term) => AIDES.has(term) && !sig.clause?.includes(term) && personSides.has(side(term)));
  };
  const otherActors = storySigs.flatMap((sig) => {
    const theirs = rolesOfSameAct(mine, sig);
    if (!mine || !theirs) return [];
    const [myAides, theirAides] = [aidesOf(item, mine), aidesOf(sig, theirs)];
    return myAides.length > 0 !== theirAides.length > 0 ? [...myAides, ...theirAides.map((t) => `not ${t}`)] : [];
  });
  // The story's person acted upon, the item's act done to a post and that person only in its trailing clause: someone
  // else ("Trump fires CISA official who defended Krebs" after "Trump fires CISA director Chris Krebs").
  const clauseOnly = entitiesNamed(item.clause ?? [], context).filter((id) => !saidPeople.has(id));
  const postDone = mine && item.title.some((term) => ROLE_TERMS.has(term) && !mine.agent.includes(term));
  const otherPatients = storySigs.flatMap((sig) => {
    const theirs = rolesOfSameAct(mine, sig);
    if (!theirs || !postDone || clauseOnly.length === 0) return [];
    const patients = entitiesNamed(
      sig.title.filter((term) => !theirs.agent.includes(term) && !sig.clause?.includes(term)),
      context,
    );
    return clauseOnly.filter((id) => patients.includes(id)).map((id) => `not ${id}`);
  });
  // One role word more before the act, the doer named by a post alone: another person. "Former CISA director
  // testifies" after "CISA director testifies", "Raffensperger adviser testifies" after "Raffensperger testifies";
  // not "Former CISA director Krebs testifies", whose name says who.
  const otherRoles = storySigs.flatMap((sig) => {
    const theirs = rolesOfSameAct(mine, sig);
    if (!mine || !theirs) return [];
    const [myDoer, theirDoer] = [doerWords(item, mine.act), doerWords(sig, mine.act)];
    if (!myDoer || !theirDoer) return [];
    const added = oneMore(myDoer, theirDoer) ?? oneMore(theirDoer, myDoer);
    return added ? [added] : [];
  });
  // The same reaction by someone else is another statement: "Federal judge slams Trump campaign suit" after
  // "Raffensperger slams Trump campaign suit". Each side's doers (no place, no role word) are apart.
  const reactorsOf = (roles: ActRoles) => doers(roles).filter((term) => !ROLE_TERMS.has(term));
  const otherReactors = storySigs.flatMap((sig) => {
    const theirs = rolesOfSameAct(mine, sig);
    if (!mine || !theirs || !isReaction(mine.act)) return [];
    const [myDoers, theirDoers] = [reactorsOf(mine), reactorsOf(theirs)];
    const apart = myDoers.length > 0 && theirDoers.length > 0 && !myDoers.some((term) => theirDoers.includes(term));
    return apart ? myDoers : [];
  });
  return {
    toldPeople,
    saidPeople,
    apart: [
      ...new Set(otherReactors),
      ...otherPeople,
      ...new Set(otherPosts),
      ...new Set(otherActors),
      ...new Set(otherRoles),
      ...new Set(otherPatients),
    ],
  };
}

/** Role words that, one more before the act, make the doer someone else: a predecessor, an adviser. */
const OTHER_ROLE = termSet('former ex onetime adviser advisor');

/** The headline's words before its first act, in order. */
function doerWords(sig: StorySignature, act: string): string[] | undefined {
  const words = orderedTitle(sig);
  const at = words?.indexOf(act) ?? -1;
  return at > 0 ? words!.slice(0, at) : undefined;
}

/**
 * The role word `longer` has more than `shorter`, the words otherwise the same in order, when `longer` names its
 * doer by a post alone (it ends with one, no name after it).
 */
function oneMore(longer: readonly string[], shorter: readonly string[]): string | undefined {
  if (longer.length !== shorter.length + 1 || (!POSTS.has(longer.at(-1)!) && !OTHER_ROLE.has(longer.at(-1)!)))
    return undefined;
  const at = longer.findIndex((term, index) => term !== shorter[index]);
  const added = longer[at]!;
  if (!OTHER_ROLE.has(added)) return undefined;
  return longer.slice(at + 1).every((term, index) => term === shorter[at + index]) ? added : undefined;
}
